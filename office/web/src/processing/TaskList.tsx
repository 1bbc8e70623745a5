// "Việc của tôi": the documents the signed-in specialist or head was given,
// whether to handle (xử lý chính), to help (phối hợp) or to know (để biết).
import { useCallback } from 'react';
import { Card, Empty, Grid, Segmented, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { listTasks, type TaskFilter, type TaskSummary } from '../api';
import { assignmentState, OVERDUE_TEXT, TASK_FILTERS, taskPart } from '../i18n';
import { formatDate } from '../format';
import { routeHash } from '../route';
import { FailureAlert, namedTable, ReloadButton, useList } from '../common';

interface Props {
  filter: TaskFilter;
  onFilter: (filter: TaskFilter) => void;
  onOpen: (id: number) => void;
  onSessionLost: () => void;
}

const TITLE_ID = 'truc-tasks-title';

function taskHref(id: number): string {
  return routeHash({ page: 'task-detail', id });
}

function DueDate({ task }: { task: TaskSummary }) {
  if (task.due_date === null) {
    return (
      <Typography.Text type="secondary" aria-label="Không có hạn">
        —
      </Typography.Text>
    );
  }
  return (
    <span className="truc-due">
      <span>{formatDate(task.due_date)}</span>
      {task.overdue && <Tag color="red">{OVERDUE_TEXT}</Tag>}
    </span>
  );
}

function StateTag({ state }: { state: string }) {
  const { label, colour } = assignmentState(state);
  return <Tag color={colour}>{label}</Tag>;
}

// Some senders leave OrganName empty: their code still says who it is.
const senderOf = (task: TaskSummary) => task.sender_name || task.sender_code;

const columns: TableProps<TaskSummary>['columns'] = [
  {
    title: 'Hạn xử lý',
    dataIndex: 'due_date',
    key: 'due_date',
    width: 130,
    render: (_: unknown, row) => <DueDate task={row} />,
  },
  {
    title: 'Trích yếu',
    dataIndex: 'subject',
    key: 'subject',
    // A real link, so the row opens from the keyboard too; the row's click is a shortcut.
    render: (value: string, row) => (
      <a href={taskHref(row.id)} onClick={(e) => e.stopPropagation()}>
        {value}
      </a>
    ),
  },
  { title: 'Số/Ký hiệu', dataIndex: 'code', key: 'code', width: 130 },
  {
    title: 'Cơ quan gửi',
    dataIndex: 'sender_name',
    key: 'sender_name',
    width: 190,
    render: (_: string, row) => senderOf(row),
  },
  {
    title: 'Vai trò',
    dataIndex: 'part',
    key: 'part',
    width: 115,
    render: (value: string) => taskPart(value),
  },
  {
    title: 'Trạng thái',
    dataIndex: 'task_state',
    key: 'task_state',
    width: 115,
    render: (value: string) => <StateTag state={value} />,
  },
];

const NamedTable = namedTable(TITLE_ID);

const EMPTY_TEXT: Record<TaskFilter, string> = {
  open: 'Không có việc đang xử lý',
  done: 'Chưa có việc đã hoàn thành',
};

function empty(filter: TaskFilter) {
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={EMPTY_TEXT[filter]} />;
}

/** The phone layout: one card per task, the subject as its link. */
function CardList({
  items,
  loading,
  filter,
}: {
  items: TaskSummary[];
  loading: boolean;
  filter: TaskFilter;
}) {
  if (loading) return <Card loading className="truc-card" />;
  if (items.length === 0) return empty(filter);
  return (
    <ul className="truc-doc-cards" aria-labelledby={TITLE_ID}>
      {items.map((item) => (
        <li key={item.id} className="truc-doc-card">
          <a href={taskHref(item.id)} className="truc-doc-card-link">
            {item.subject}
          </a>
          <div className="truc-doc-card-meta">
            <span>{item.code}</span>
            <span>{senderOf(item)}</span>
          </div>
          <div className="truc-doc-card-meta">
            <span>
              Hạn xử lý: {item.due_date === null ? 'không có' : formatDate(item.due_date)}
            </span>
            <span>Vai trò: {taskPart(item.part)}</span>
          </div>
          <div className="truc-doc-card-tags">
            {item.overdue && <Tag color="red">{OVERDUE_TEXT}</Tag>}
            <StateTag state={item.task_state} />
          </div>
        </li>
      ))}
    </ul>
  );
}

export default function TaskList({ filter, onFilter, onOpen, onSessionLost }: Props) {
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const load = useCallback(() => listTasks(filter), [filter]);
  const { items, failure: error, reload } = useList(load, onSessionLost, true);

  return (
    <div className="truc-page truc-page-wide">
      <Typography.Title level={2} className="truc-page-title" id={TITLE_ID}>
        Việc của tôi
      </Typography.Title>
      <Card className="truc-card">
        <div className="truc-toolbar">
          <Segmented<TaskFilter>
            aria-label="Lọc theo trạng thái"
            options={TASK_FILTERS}
            value={filter}
            onChange={onFilter}
            block={narrow}
            className="truc-tasks-filter"
          />
          <ReloadButton onClick={reload} />
        </div>
        <FailureAlert failure={error} />
        {narrow ? (
          <CardList items={items ?? []} loading={items === null} filter={filter} />
        ) : (
          <Table<TaskSummary>
            rowKey="id"
            columns={columns}
            dataSource={items ?? []}
            loading={items === null}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
            size="middle"
            components={{ table: NamedTable }}
            locale={{ emptyText: empty(filter) }}
            rowClassName="truc-clickable-row"
            onRow={(row) => ({ onClick: () => onOpen(row.id) })}
          />
        )}
      </Card>
    </div>
  );
}
