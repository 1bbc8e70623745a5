import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Empty,
  Form,
  Grid,
  Input,
  Modal,
  Segmented,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableProps } from 'antd';
import { FileAddOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  listIncoming,
  listIncomingRegisters,
  registerBookUrl,
  type IncomingFilter,
  type IncomingSummary,
  type Register,
} from '../api';
import { incomingState, INCOMING_FILTERS, priorityColour, recallState } from '../i18n';
import { formatInstant } from '../format';
import { routeHash } from '../route';
import {
  type Failure,
  FailureAlert,
  namedTable,
  registerOptions,
  ReloadButton,
  useList,
  useLoadWhen,
} from '../common';

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

/** The document's state and, when the sender asked for it back, the recall's. */
function StateTags({ item }: { item: IncomingSummary }) {
  const state = incomingState(item.state);
  const recall = item.recall_state === null ? null : recallState(item.recall_state);
  return (
    <>
      <Tag color={state.colour}>{state.label}</Tag>
      {recall !== null && <Tag color={recall.colour}>{recall.label}</Tag>}
    </>
  );
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
    render: (_: string, item: IncomingSummary) => <StateTags item={item} />,
  },
];

const NamedTable = namedTable(TITLE_ID);

/**
 * "In sổ đăng ký": picks one of the agency's incoming registers and opens its book (a PDF to
 * print, sign and bind) in a new tab, where the browser's viewer prints it.
 */
function RegisterBookButton({ onSessionLost }: { onSessionLost: () => void }) {
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<Failure>(null);
  const registers = useLoadWhen<Register[]>(open, listIncomingRegisters, onSessionLost, setFailure);
  const [picked, setPicked] = useState<number | undefined>(undefined);
  // The first register until another is picked.
  const chosen = picked ?? registers?.[0]?.id;

  const print = () => {
    if (chosen === undefined) return;
    // Opened from the click itself, so that no pop-up blocker stops it.
    window.open(registerBookUrl(chosen), '_blank', 'noopener');
    setOpen(false);
  };

  return (
    <>
      <Button icon={<PrinterOutlined aria-hidden="true" />} onClick={() => setOpen(true)}>
        In sổ đăng ký
      </Button>
      <Modal
        title="In sổ đăng ký văn bản đến"
        open={open}
        okText="Mở sổ để in"
        cancelText="Hủy"
        onOk={print}
        onCancel={() => setOpen(false)}
        okButtonProps={{ disabled: chosen === undefined }}
        destroyOnHidden
      >
        <FailureAlert failure={failure} />
        {registers !== null && registers.length === 0 && (
          <Alert
            type="warning"
            showIcon
            message="Chưa có sổ văn bản đến nào."
            style={{ marginBottom: 16 }}
          />
        )}
        <Typography.Paragraph>
          Sổ mở ở thẻ mới dưới dạng tệp PDF (khổ A4 ngang); dùng lệnh in của trình duyệt để in, ký
          nhận và đóng sổ.
        </Typography.Paragraph>
        <Form layout="vertical" name="register-book">
          <Form.Item label="Sổ văn bản" htmlFor="register-book-register">
            <Select
              id="register-book-register"
              loading={registers === null && failure === null}
              placeholder="Chọn sổ văn bản"
              value={chosen}
              onChange={(value: number) => setPicked(value)}
              options={registerOptions(registers)}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
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
            <StateTags item={item} />
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
  const load = useCallback(() => listIncoming(filter, q), [filter, q]);
  const { items, failure: error, reload } = useList(load, onSessionLost, true);
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);

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
            <ReloadButton onClick={reload} />
          </div>
          <RegisterBookButton onSessionLost={onSessionLost} />
        </div>
        <FailureAlert failure={error} />
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
