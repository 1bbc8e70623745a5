import { useEffect, useState } from 'react';
import { Alert, Card, Descriptions, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ApiError, listDocumentTypes, type DocumentType, type Session } from './api';
import { errorText, roleName } from './i18n';

interface Props {
  session: Session;
  onSessionLost: () => void;
}

const columns: TableProps<DocumentType>['columns'] = [
  {
    title: 'Ký hiệu',
    dataIndex: 'abbreviation',
    key: 'abbreviation',
    width: 120,
    render: (value: string) =>
      value === '' ? (
        <Typography.Text type="secondary" aria-label="Không có ký hiệu">
          —
        </Typography.Text>
      ) : (
        value
      ),
  },
  { title: 'Tên loại văn bản', dataIndex: 'name', key: 'name' },
];

// Gives the <table> element itself an accessible name (rc-table lets us replace it).
function NamedTable(props: React.TableHTMLAttributes<HTMLTableElement>) {
  return <table {...props} aria-labelledby="truc-doc-types-title" />;
}

export default function Home({ session, onSessionLost }: Props) {
  const { user } = session;
  const [types, setTypes] = useState<DocumentType[] | null>(null);
  const [error, setError] = useState<{ text: string; code: string } | null>(null);

  useEffect(() => {
    let live = true;
    listDocumentTypes()
      .then((items) => {
        if (live) setTypes(items);
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) {
          onSessionLost();
          return;
        }
        setError(errorText(e));
        setTypes([]);
      });
    return () => {
      live = false;
    };
  }, [onSessionLost]);

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
      <Card
        title={<span id="truc-doc-types-title">Loại văn bản</span>}
        className="truc-card"
      >
        {error !== null && (
          <Alert
            type="error"
            showIcon
            message={error.text}
            description={<small>Mã lỗi: {error.code}</small>}
            style={{ marginBottom: 16 }}
          />
        )}
        <Table<DocumentType>
          rowKey="id"
          columns={columns}
          dataSource={types ?? []}
          loading={types === null}
          pagination={false}
          size="middle"
          components={{ table: NamedTable }}
        />
      </Card>
    </div>
  );
}
