// The registers (sổ văn bản) of incoming and outgoing documents: one per year
// and name, numbering from 1 each year; secret documents have their own.
import { useState } from 'react';
import {
  App,
  Button,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { CalendarOutlined, PlusOutlined } from '@ant-design/icons';
import {
  createRegister,
  isSessionLost,
  listRegisters,
  openNextYearRegisters,
  type CatalogueRegister,
  type NewRegister,
  type RegisterDirection,
} from '../api';
import { errorText } from '../i18n';
import {
  changeDialog,
  FailureAlert,
  NAME_MAX,
  namedTable,
  nameRules,
  useChange,
  useList,
} from '../common';

const INCOMING_ID = 'truc-registers-incoming-title';
const OUTGOING_ID = 'truc-registers-outgoing-title';
const IncomingTable = namedTable(INCOMING_ID);
const OutgoingTable = namedTable(OUTGOING_ID);
const loadIncoming = () => listRegisters('incoming');
const loadOutgoing = () => listRegisters('outgoing');

const DIRECTIONS: { value: RegisterDirection; label: string }[] = [
  { value: 'incoming', label: 'Sổ văn bản đến' },
  { value: 'outgoing', label: 'Sổ văn bản đi' },
];

/** The year in Vietnam now: registers follow the calendar year there. */
function vietnamYear(): number {
  return Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(
      new Date(),
    ),
  );
}

const columns: TableColumnsType<CatalogueRegister> = [
  { title: 'Năm', dataIndex: 'year', key: 'year', width: 80 },
  {
    title: 'Tên sổ',
    dataIndex: 'name',
    key: 'name',
    render: (name: string, register) => (
      <>
        {name}
        {register.secret && (
          <Tag color="red" className="truc-tag-after">
            Sổ mật
          </Tag>
        )}
      </>
    ),
  },
  { title: 'Số tiếp theo', dataIndex: 'next_number', key: 'next_number', width: 120 },
];

interface Props {
  canEdit: boolean;
  onSessionLost: () => void;
}

function RegisterTable({
  titleId,
  title,
  items,
  table,
}: {
  titleId: string;
  title: string;
  items: CatalogueRegister[] | null;
  table: (props: React.TableHTMLAttributes<HTMLTableElement>) => React.ReactElement;
}) {
  return (
    <section aria-labelledby={titleId} className="truc-register-section">
      <Typography.Title level={4} id={titleId}>
        {title}
      </Typography.Title>
      <Table<CatalogueRegister>
        rowKey="id"
        columns={columns}
        dataSource={items ?? []}
        loading={items === null}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        size="middle"
        scroll={{ x: 'max-content' }}
        components={{ table }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Chưa có sổ nào" />,
        }}
      />
    </section>
  );
}

export default function RegistersTab({ canEdit, onSessionLost }: Props) {
  const { message } = App.useApp();
  const incoming = useList(loadIncoming, onSessionLost);
  const outgoing = useList(loadOutgoing, onSessionLost);
  const change = useChange(onSessionLost);
  const [adding, setAdding] = useState(false);
  const [opening, setOpening] = useState(false);
  const [form] = Form.useForm<NewRegister>();

  const reloadBoth = () => {
    incoming.reload();
    outgoing.reload();
  };

  const submit = async (fields: NewRegister) => {
    const register: NewRegister = {
      direction: fields.direction,
      year: fields.year,
      name: fields.name.trim(),
      secret: fields.secret ?? false,
    };
    if (!(await change.run(() => createRegister(register)))) return;
    void message.success(`Đã thêm sổ "${register.name}" năm ${register.year}.`);
    setAdding(false);
    reloadBoth();
  };

  const openNextYear = async () => {
    setOpening(true);
    try {
      const created = await openNextYearRegisters();
      if (created.length === 0) {
        void message.info('Các sổ của năm sau đã có đủ, không mở thêm sổ nào.');
      } else {
        void message.success(`Đã mở ${created.length} sổ cho năm ${created[0].year}.`);
      }
      reloadBoth();
    } catch (e) {
      if (isSessionLost(e)) onSessionLost();
      else void message.error(errorText(e).text);
    } finally {
      setOpening(false);
    }
  };

  return (
    <section aria-labelledby="truc-registers-title">
      <div className="truc-toolbar">
        <Typography.Title level={3} id="truc-registers-title" className="truc-tab-title">
          Sổ văn bản
        </Typography.Title>
        {canEdit && (
          <Space wrap>
            <Popconfirm
              title="Mở sổ năm mới"
              description="Mở các sổ của năm sau theo tên các sổ năm nay (bỏ qua sổ đã có)?"
              okText="Mở sổ"
              cancelText="Hủy"
              onConfirm={() => void openNextYear()}
            >
              <Button icon={<CalendarOutlined aria-hidden="true" />} loading={opening}>
                Mở sổ năm mới
              </Button>
            </Popconfirm>
            <Button
              type="primary"
              icon={<PlusOutlined aria-hidden="true" />}
              onClick={() => {
                change.clear();
                setAdding(true);
              }}
            >
              Thêm sổ
            </Button>
          </Space>
        )}
      </div>
      <Typography.Paragraph type="secondary">
        Mỗi sổ đánh số từ 1 vào đầu năm. Văn bản mật được vào sổ mật riêng.
      </Typography.Paragraph>
      <FailureAlert failure={incoming.failure ?? outgoing.failure} />
      <RegisterTable
        titleId={INCOMING_ID}
        title="Sổ văn bản đến"
        items={incoming.items}
        table={IncomingTable}
      />
      <RegisterTable
        titleId={OUTGOING_ID}
        title="Sổ văn bản đi"
        items={outgoing.items}
        table={OutgoingTable}
      />
      <Modal
        title="Thêm sổ"
        open={adding}
        okText="Thêm"
        {...changeDialog(change.busy, () => setAdding(false))}
        onOk={() => form.submit()}
      >
        <FailureAlert failure={change.failure} />
        <Form
          form={form}
          name="register"
          layout="vertical"
          requiredMark={false}
          initialValues={{ direction: 'incoming', year: vietnamYear(), name: '', secret: false }}
          onFinish={(fields) => void submit(fields)}
          disabled={change.busy}
          preserve={false}
        >
          <Form.Item
            label="Loại sổ"
            name="direction"
            rules={[{ required: true, message: 'Vui lòng chọn loại sổ.' }]}
          >
            <Select options={DIRECTIONS} />
          </Form.Item>
          <Form.Item
            label="Năm"
            name="year"
            rules={[{ required: true, message: 'Vui lòng nhập năm.' }]}
          >
            <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item label="Tên sổ" name="name" rules={nameRules('tên sổ', NAME_MAX)}>
            <Input maxLength={NAME_MAX} placeholder="Ví dụ: Sổ văn bản đến" />
          </Form.Item>
          <Form.Item label="Sổ mật" name="secret" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  );
}
