// Open assignments as the oversight pages list them: due date and how far off it is, the
// document, its main handler and its state. A document opens when the reader may view incoming
// documents; a head follows the department's deadlines without reading the agency's register.
import { Empty, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import type { DeadlineItem } from '../api';
import { assignmentState, daysLeftText, personLabel } from '../i18n';
import { formatDate } from '../format';
import { routeHash } from '../route';
import { useNamedTable } from '../common';

interface Props {
  items: DeadlineItem[] | null;
  /** The id of the element naming the table. */
  labelledBy: string;
  canOpen: boolean;
  emptyText: string;
}

function DueDate({ item }: { item: DeadlineItem }) {
  if (item.due_date === null) {
    return (
      <Typography.Text type="secondary" aria-label="Không có hạn">
        —
      </Typography.Text>
    );
  }
  const colour = item.overdue ? 'red' : item.days_left <= 1 ? 'orange' : 'gold';
  return (
    <span className="truc-due">
      <span>{formatDate(item.due_date)}</span>
      <Tag color={colour}>{daysLeftText(item.days_left, item.overdue)}</Tag>
    </span>
  );
}

export default function DeadlineTable({ items, labelledBy, canOpen, emptyText }: Props) {
  const NamedTable = useNamedTable(labelledBy);
  const columns: TableProps<DeadlineItem>['columns'] = [
    {
      title: 'Hạn xử lý',
      dataIndex: 'due_date',
      key: 'due_date',
      width: 170,
      render: (_: unknown, row) => <DueDate item={row} />,
    },
    {
      title: 'Trích yếu',
      dataIndex: 'subject',
      key: 'subject',
      render: (value: string, row) =>
        canOpen ? <a href={routeHash({ page: 'incoming-detail', id: row.id })}>{value}</a> : value,
    },
    { title: 'Số/Ký hiệu', dataIndex: 'code', key: 'code', width: 130 },
    {
      title: 'Xử lý chính',
      dataIndex: 'main_handler',
      key: 'main_handler',
      width: 220,
      render: (_: unknown, row) => personLabel(row.main_handler),
    },
    {
      title: 'Trạng thái',
      dataIndex: 'task_state',
      key: 'task_state',
      width: 120,
      render: (value: string) => {
        const { label, colour } = assignmentState(value);
        return <Tag color={colour}>{label}</Tag>;
      },
    },
  ];
  return (
    <Table<DeadlineItem>
      rowKey="id"
      columns={columns}
      dataSource={items ?? []}
      loading={items === null}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      size="middle"
      scroll={{ x: 760 }}
      components={{ table: NamedTable }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} /> }}
    />
  );
}
