import { Card, Descriptions, Typography } from 'antd';
import { AppstoreOutlined, TeamOutlined } from '@ant-design/icons';
import type { Session } from './api';
import { may } from './authorization';
import { roleName } from './i18n';
import { routeHash } from './route';

interface Props {
  session: Session;
}

/** The agency admin's way in to the two administration pages. */
function AdminLinks({ session }: Props) {
  const users = may(session, 'view_users');
  const catalogues = may(session, 'edit_catalogues');
  if (!users && !catalogues) return null;
  return (
    <Card title="Quản trị cơ quan" className="truc-card">
      <ul className="truc-admin-links">
        {users && (
          <li>
            <a href={routeHash({ page: 'users' })}>
              <TeamOutlined aria-hidden="true" /> Người dùng
            </a>
            <Typography.Text type="secondary">
              Thêm tài khoản, sửa vai trò và phòng ban, khóa tài khoản, mở khóa đăng nhập, đặt lại
              mật khẩu.
            </Typography.Text>
          </li>
        )}
        {catalogues && (
          <li>
            <a href={routeHash({ page: 'catalogues', tab: 'document-types' })}>
              <AppstoreOutlined aria-hidden="true" /> Danh mục
            </a>
            <Typography.Text type="secondary">
              Loại văn bản, sổ văn bản, độ khẩn, độ mật, lĩnh vực và phòng ban của cơ quan.
            </Typography.Text>
          </li>
        )}
      </ul>
    </Card>
  );
}

export default function Home({ session }: Props) {
  const { user } = session;
  return (
    <div className="truc-page">
      <Typography.Title level={2} className="truc-page-title">
        Trang chủ
      </Typography.Title>
      <Card title="Tài khoản" className="truc-card">
        <Descriptions column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} bordered size="small">
          <Descriptions.Item label="Họ và tên">{user.full_name}</Descriptions.Item>
          <Descriptions.Item label="Tên đăng nhập">{user.username}</Descriptions.Item>
          <Descriptions.Item label="Vai trò">{roleName(user.role)}</Descriptions.Item>
          <Descriptions.Item label="Cơ quan">{user.agency_name}</Descriptions.Item>
          <Descriptions.Item label="Mã định danh cơ quan">{user.agency_code}</Descriptions.Item>
        </Descriptions>
      </Card>
      <AdminLinks session={session} />
    </div>
  );
}
