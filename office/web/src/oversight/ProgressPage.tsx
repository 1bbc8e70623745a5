// "Theo dõi tiến độ": the leader's view of each department's work (and of those without a
// department): how much was assigned, is under way, is done on time or late, is overdue. A
// department's name opens the list of its open documents below the table.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import {
  isSessionLost,
  listDeadlines,
  listProgress,
  type DeadlineItem,
  type DepartmentProgress,
} from '../api';
import { errorText, NO_DEPARTMENT_TEXT } from '../i18n';
import DeadlineTable from './DeadlineTable';

interface Props {
  department: number | 'none' | null;
  canOpen: boolean;
  onDepartment: (department: number | 'none' | null) => void;
  onSessionLost: () => void;
}

const TITLE_ID = 'truc-progress-title';
const DOCUMENTS_TITLE_ID = 'truc-progress-documents-title';

const keyOf = (row: DepartmentProgress) => row.department_id ?? 'none';
const nameOf = (row: DepartmentProgress) =>
  row.department_id === null ? NO_DEPARTMENT_TEXT : row.department;

function NamedTable(props: React.TableHTMLAttributes<HTMLTableElement>) {
  return <table {...props} aria-labelledby={TITLE_ID} />;
}

export default function ProgressPage({ department, canOpen, onDepartment, onSessionLost }: Props) {
  const [rows, setRows] = useState<DepartmentProgress[] | null>(null);
  const [documents, setDocuments] = useState<DeadlineItem[] | null>(null);
  const [error, setError] = useState<{ text: string; code: string } | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let live = true;
    setRows(null);
    setError(null);
    listProgress()
      .then((answer) => {
        if (live) setRows(answer);
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (isSessionLost(e)) {
          onSessionLost();
          return;
        }
        setError(errorText(e));
        setRows([]);
      });
    return () => {
      live = false;
    };
  }, [reloads, onSessionLost]);

  useEffect(() => {
    if (department === null) return;
    let live = true;
    setDocuments(null);
    listDeadlines('open', department)
      .then((answer) => {
        if (live) setDocuments(answer.items);
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (isSessionLost(e)) {
          onSessionLost();
          return;
        }
        setError(errorText(e));
        setDocuments([]);
      });
    return () => {
      live = false;
    };
  }, [department, reloads, onSessionLost]);

  const columns: TableProps<DepartmentProgress>['columns'] = [
    {
      title: 'Phòng ban',
      key: 'department',
      render: (_: unknown, row) => (
        <Button
          type="link"
          className="truc-link-button"
          aria-pressed={keyOf(row) === department}
          onClick={() => onDepartment(keyOf(row))}
        >
          {nameOf(row)}
        </Button>
      ),
    },
    { title: 'Được giao', dataIndex: 'total', key: 'total', width: 100 },
    { title: 'Chưa bắt đầu', dataIndex: 'assigned', key: 'assigned', width: 110 },
    { title: 'Đang xử lý', dataIndex: 'in_progress', key: 'in_progress', width: 100 },
    { title: 'Đã hoàn thành', dataIndex: 'done', key: 'done', width: 120 },
    {
      title: 'Quá hạn',
      dataIndex: 'overdue',
      key: 'overdue',
      width: 90,
      render: (value: number) => (value > 0 ? <Tag color="red">{value}</Tag> : value),
    },
    { title: 'Hoàn thành đúng hạn', dataIndex: 'done_on_time', key: 'done_on_time', width: 130 },
    {
      title: 'Hoàn thành trễ hạn',
      dataIndex: 'done_late',
      key: 'done_late',
      width: 130,
      render: (value: number) => (value > 0 ? <Tag color="orange">{value}</Tag> : value),
    },
  ];

  const chosen = rows?.find((row) => keyOf(row) === department);
  return (
    <div className="truc-page truc-page-wide">
      <Typography.Title level={2} className="truc-page-title" id={TITLE_ID}>
        Theo dõi tiến độ
      </Typography.Title>
      <Card className="truc-card">
        <div className="truc-toolbar">
          <Typography.Text type="secondary">
            Văn bản đến đã giao xử lý, theo phòng ban của người xử lý chính.
          </Typography.Text>
          <Button
            icon={<ReloadOutlined aria-hidden="true" />}
            onClick={() => setReloads((n) => n + 1)}
            aria-label="Tải lại"
            title="Tải lại"
          />
        </div>
        {error !== null && (
          <Alert
            type="error"
            showIcon
            message={error.text}
            description={<small>Mã lỗi: {error.code}</small>}
            style={{ marginBottom: 16 }}
          />
        )}
        <Table<DepartmentProgress>
          rowKey={(row) => String(keyOf(row))}
          columns={columns}
          dataSource={rows ?? []}
          loading={rows === null}
          pagination={false}
          size="middle"
          scroll={{ x: 880 }}
          components={{ table: NamedTable }}
        />
      </Card>
      {department !== null && (
        <Card
          className="truc-card"
          title={
            <span id={DOCUMENTS_TITLE_ID}>
              Văn bản đang xử lý — {chosen === undefined ? '' : nameOf(chosen)}
            </span>
          }
          extra={
            <Button onClick={() => onDepartment(null)} aria-label="Đóng danh sách văn bản">
              Đóng
            </Button>
          }
        >
          <DeadlineTable
            items={documents}
            labelledBy={DOCUMENTS_TITLE_ID}
            canOpen={canOpen}
            emptyText="Phòng ban không có văn bản đang xử lý"
          />
        </Card>
      )}
    </div>
  );
}
