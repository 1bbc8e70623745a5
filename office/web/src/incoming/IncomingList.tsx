import { useEffect, useState } from 'react';
import { Alert, Button, Card, Empty, Grid, Input, Segmented, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { FileAddOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  isSessionLost,
  listIncoming,
  type IncomingFilter,
  type IncomingSummary,
} from '../api';
import { errorText, incomingState, INCOMING_FILTERS, priorityColour } from '../i18n';
import { formatInstant } from '../format';
import { routeHash } from '../route';

interface Props {
  filter: IncomingFilter;
  q: string;
  onQuery: (filter: IncomingFilter, q: string) => void;
  onOpen: (id: number) => void;
  /** The clerk's "Vào sổ văn bản giấy"; absent for roles that do not register documents. */
  onRegisterPaper?: () => void;
  onSessionLost: () => void;
}

const TITLE_ID = 'truc-incoming-title';

function detailHref(id: number): string {
  return routeHash({ page: 'incoming-detail', id });
}

function ArrivalNumber({ value }: { value: number | null }) {
  return value === null ? (
    <Typography.Text type="secondary" aria-label="Chưa có số đến">
      —
    </Typography.Text>
  ) : (
    <>{value}</>
  );
}

function StateTag({ state }: { state: string }) {
  const { label, colour } = incomingState(state);
  return <Tag color={colour}>{label}</Tag>;
}

function PriorityTag({ priority }: { priority: string }) {
  return <Tag color={priorityColour(priority)}>{priority}</Tag>;
}

const columns: TableProps<IncomingSummary>['columns'] = [
  {
    title: 'Số đến',
    dataIndex: 'arrival_number',
    key: 'arrival_number',
    width: 80,
    render: (value: number | null) => <ArrivalNumber value={value} />,
  },
  {
    title: 'Ngày nhận',
    dataIndex: 'received_at',
    key: 'received_at',
    width: 135,
    render: (value: string) => formatInstant(value),
  },
  {
    title: 'Cơ quan gửi',
    dataIndex: 'sender_name',
    key: 'sender_name',
    width: 190,
    // Some senders leave OrganName empty: their code still says who it is.
    render: (value: string, row) => value || row.sender_code,
  },
  { title: 'Số/Ký hiệu', dataIndex: 'code', key: 'code', width: 130 },
  {
    title: 'Trích yếu',
    dataIndex: 'subject',
    key: 'subject',
    // A real link, so the row opens from the keyboard too; the row's click is a shortcut.
    render: (value: string, row) => (
      <a href={detailHref(row.id)} onClick={(e) => e.stopPropagation()}>
        {value}
      </a>
    ),
  },
  {
    title: 'Độ khẩn',
    dataIndex: 'priority',
    key: 'priority',
    width: 115,
    render: (value: string) => <PriorityTag priority={value} />,
  },
  {
    title: 'Trạng thái',
    dataIndex: 'state',
    key: 'state',
    width: 115,
    render: (value: string) => <StateTag state={value} />,
  },
];

// Gives the <table> element itself an accessible name (rc-table lets us replace it).
function NamedTable(props: React.TableHTMLAttributes<HTMLTableElement>) {
  return <table {...props} aria-labelledby={TITLE_ID} />;
}

const EMPTY = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Không có văn bản" />;

/** The phone layout: one card per document, the subject as its link. */
function CardList({ items, loading }: { items: IncomingSummary[]; loading: boolean }) {
  if (loading) return <Card loading className="truc-card" />;
  if (items.length === 0) return EMPTY;
  return (
    <ul className="truc-doc-cards" aria-labelledby={TITLE_ID}>
      {items.map((item) => (
        <li key={item.id} className="truc-doc-card">
          <a href={detailHref(item.id)} className="truc-doc-card-link">
            {item.subject}
          </a>
          <div className="truc-doc-card-meta">
            <span>{item.code}</span>
            <span>{item.sender_name || item.sender_code}</span>
          </div>
          <div className="truc-doc-card-meta">
            <span>Nhận: {formatInstant(item.received_at)}</span>
            {item.arrival_number !== null && <span>Số đến: {item.arrival_number}</span>}
          </div>
          <div className="truc-doc-card-tags">
            <PriorityTag priority={item.priority} />
            <StateTag state={item.state} />
          </div>
        </li>
      ))}
    </ul>
  );
}

export default function IncomingList({
  filter,
  q,
  onQuery,
  onOpen,
  onRegisterPaper,
  onSessionLost,
}: Props) {
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [items, setItems] = useState<IncomingSummary[] | null>(null);
  const [error, setError] = useState<{ text: string; code: string } | null>(null);
  const [reloads, setReloads] = useState(0);
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);

  useEffect(() => {
    let live = true;
    setItems(null);
    setError(null);
    listIncoming(filter, q)
      .then((answer) => {
        if (live) setItems(answer);
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (isSessionLost(e)) {
          onSessionLost();
          return;
        }
        setError(errorText(e));
        setItems([]);
      });
    return () => {
      live = false;
    };
  }, [filter, q, reloads, onSessionLost]);

  return (
    <div className="truc-page truc-page-wide">
      <div className="truc-page-heading">
        <Typography.Title level={2} className="truc-page-title" id={TITLE_ID}>
          Văn bản đến
        </Typography.Title>
        {onRegisterPaper !== undefined && (
          <Button
            type="primary"
            icon={<FileAddOutlined aria-hidden="true" />}
            onClick={onRegisterPaper}
          >
            Vào sổ văn bản giấy
          </Button>
        )}
      </div>
      <Card className="truc-card">
        <div className="truc-toolbar">
          <Segmented<IncomingFilter>
            aria-label="Lọc theo trạng thái"
            options={INCOMING_FILTERS}
            value={filter}
            onChange={(value) => onQuery(value, q)}
            block={narrow}
            className="truc-toolbar-filter"
          />
          <div className="truc-toolbar-search">
            <Input.Search
              aria-label="Tìm kiếm"
              placeholder="Trích yếu, số ký hiệu, cơ quan gửi"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onSearch={(value) => onQuery(filter, value.trim())}
              enterButton="Tìm"
              maxLength={200}
            />
            <Button
              icon={<ReloadOutlined aria-hidden="true" />}
              onClick={() => setReloads((n) => n + 1)}
              aria-label="Tải lại"
              title="Tải lại"
            />
          </div>
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
        {narrow ? (
          <CardList items={items ?? []} loading={items === null} />
        ) : (
          <Table<IncomingSummary>
            rowKey="id"
            columns={columns}
            dataSource={items ?? []}
            loading={items === null}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
            size="middle"
            components={{ table: NamedTable }}
            locale={{ emptyText: EMPTY }}
            rowClassName="truc-clickable-row"
            onRow={(row) => ({ onClick: () => onOpen(row.id) })}
          />
        )}
      </Card>
    </div>
  );
}
