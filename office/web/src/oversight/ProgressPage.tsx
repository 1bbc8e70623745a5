// "Theo dõi tiến độ": the leader's view of each department's work (and of those without a
// department): how much was assigned, is under way, is done on time or late, is overdue. A
// department's name opens the list of its open documents below the table.
import { useCallback } from 'react';
import { Button, Card, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import {
  listDeadlines,
  listProgress,
  type DeadlineItem,
  type DepartmentProgress,
} from '../api';
import { NO_DEPARTMENT_TEXT } from '../i18n';
import DeadlineTable from './DeadlineTable';
import { FailureAlert, namedTable, ReloadButton, useList, useLoad } from '../common';

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

const NamedTable = namedTable(TITLE_ID);
const NO_DOCUMENTS: DeadlineItem[] = [];

export default function ProgressPage({ department, canOpen, onDepartment, onSessionLost }: Props) {
  const progress = useList(listProgress, onSessionLost, true);
  const rows = progress.items;
  // A department's open documents, once one is chosen.
  const loadDocuments = useCallback(
    () =>
      department === null
        ? Promise.resolve(null)
        : listDeadlines('open', department).then((answer) => answer.items),
    [department],
  );
  const open = useLoad<DeadlineItem[] | null>(loadDocuments, onSessionLost, NO_DOCUMENTS, true);
  const documents = open.data;
  const error = progress.failure ?? open.failure;
  const reload = () => {
    progress.reload();
    open.reload();
  };

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
          <ReloadButton onClick={reload} />
        </div>
        <FailureAlert failure={error} />
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
