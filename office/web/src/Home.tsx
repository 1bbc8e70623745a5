import { Button, Card, Descriptions, List, Statistic, Tag, Typography } from 'antd';
import { AppstoreOutlined, TeamOutlined } from '@ant-design/icons';
import type { Reminders, Session } from './api';
import { daysLeftText, roleName } from './i18n';
import { formatDate } from './format';
import { routeHash } from './route';
import { may } from './authorization';

interface Props {
  session: Session;
  /** Loaded by the shell (at most once a minute); null until then. */
  reminders: Reminders | null;
  onOpenDeadlines: () => void;
}

/** "Nhắc việc": one's own overdue and due-soon tasks, and the scope's overdue work. */
function ReminderCard({
  reminders,
  handlesTasks,
  onOpenDeadlines,
}: {
  reminders: Reminders;
  handlesTasks: boolean;
  onOpenDeadlines: () => void;
}) {
  return (
    <Card title={<span id="truc-reminders-title">Nhắc việc</span>} className="truc-card">
      <div className="truc-reminder-counts" aria-labelledby="truc-reminders-title">
        {handlesTasks && (
          <>
            <Statistic
              title="Việc của tôi quá hạn"
              value={reminders.overdue}
              valueStyle={reminders.overdue > 0 ? { color: '#cf1322' } : undefined}
            />
            <Statistic
              title={`Sắp đến hạn (${reminders.due_soon_days} ngày tới)`}
              value={reminders.due_soon}
              valueStyle={reminders.due_soon > 0 ? { color: '#d46b08' } : undefined}
            />
          </>
        )}
        {reminders.scope_overdue !== null && (
          <Statistic
            title="Văn bản quá hạn cần đôn đốc"
            value={reminders.scope_overdue}
            valueStyle={reminders.scope_overdue > 0 ? { color: '#cf1322' } : undefined}
          />
        )}
      </div>
      {reminders.most_urgent.length > 0 && (
        <List
          size="small"
          aria-label="Việc cần xử lý gấp"
          dataSource={reminders.most_urgent}
          renderItem={(item) => (
            <List.Item>
              <span className="truc-reminder-item">
                <Tag color={item.overdue ? 'red' : 'orange'}>
                  {daysLeftText(item.days_left, item.overdue)}
                </Tag>
                <a href={routeHash({ page: 'task-detail', id: item.id })}>{item.subject}</a>
                <Typography.Text type="secondary">
                  {' '}
                  — hạn {formatDate(item.due_date)}
                </Typography.Text>
              </span>
            </List.Item>
          )}
        />
      )}
      {reminders.scope_overdue !== null && reminders.scope_overdue > 0 && (
        <Button onClick={onOpenDeadlines} style={{ marginTop: 12 }}>
          Xem văn bản quá hạn
        </Button>
      )}
    </Card>
  );
}

/** The agency admin's way in to the two administration pages. */
function AdminLinks({ session }: { session: Session }) {
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

export default function Home({ session, reminders, onOpenDeadlines }: Props) {
  const { user } = session;
  const handlesTasks = may(session, 'handle_tasks');
  return (
    <div className="truc-page">
      <Typography.Title level={2} className="truc-page-title">
        Trang chủ
      </Typography.Title>
      {/* Only for those with deadlines to mind: their own tasks, or others' to follow up. */}
      {reminders !== null && (handlesTasks || reminders.scope_overdue !== null) && (
        <ReminderCard
          reminders={reminders}
          handlesTasks={handlesTasks}
          onOpenDeadlines={onOpenDeadlines}
        />
      )}
      <Card title="Tài khoản" className="truc-card">
        <Descriptions column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} bordered size="small">
          <Descriptions.Item label="Họ và tên">{user.full_name}</Descriptions.Item>
          <Descriptions.Item label="Tên đăng nhập">{user.username}</Descriptions.Item>
          <Descriptions.Item label="Vai trò">{roleName(user.role)}</Descriptions.Item>
          <Descriptions.Item label="Cơ quan">{user.agency_name}</Descriptions.Item>
          <Descriptions.Item label="Mã định danh cơ quan">{user.agency_code}</Descriptions.Item>
          {session.delegation !== null && (
            <Descriptions.Item label="Được ủy quyền">
              {`${session.delegation.delegator.full_name}, đến hết ngày ${formatDate(session.delegation.ends_on)}`}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <AdminLinks session={session} />
    </div>
  );
}
