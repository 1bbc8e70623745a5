// "Ủy quyền": a leader gives another account of the agency the leader's powers for some days
// (in Vietnam time) with a reason, sees the agency's delegations and ends one early.
import {
  App as AntApp,
  Button,
  Card,
  Form,
  Input,
  Popconfirm,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableProps } from 'antd';
import {
  createDelegation,
  endDelegation,
  listDelegationCandidates,
  listDelegations,
  type Delegation,
  type NewDelegation,
  type Person,
} from '../api';
import { delegationState, personLabel, roleName } from '../i18n';
import { formatDate, formatInstant, todayInVietnam } from '../format';
import { FailureAlert, namedTable, useChange, useLoad } from '../common';

interface Props {
  onSessionLost: () => void;
}

const TITLE_ID = 'truc-delegations-title';

const NamedTable = namedTable(TITLE_ID);

// The agency's delegations and the accounts a delegation may go to.
const loadAll = () => Promise.all([listDelegations(), listDelegationCandidates()]);
const NOTHING_LOADED: [Delegation[], Person[]] = [[], []];

export default function DelegationsPage({ onSessionLost }: Props) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<NewDelegation>();
  const loaded = useLoad(loadAll, onSessionLost, NOTHING_LOADED, true);
  const items = loaded.data?.[0] ?? null;
  const people = loaded.data?.[1] ?? [];
  const creating = useChange(onSessionLost);
  const ending = useChange(onSessionLost);
  const error = creating.failure ?? ending.failure ?? loaded.failure;
  const clearError = () => {
    creating.clear();
    ending.clear();
    loaded.clear();
  };
  const today = todayInVietnam();

  const submit = async (values: NewDelegation) => {
    clearError();
    if (!(await creating.run(() => createDelegation({ ...values, reason: values.reason.trim() })))) {
      return;
    }
    void message.success('Đã ủy quyền.');
    form.resetFields();
    loaded.reload();
  };

  const end = async (id: number) => {
    clearError();
    if (!(await ending.run(() => endDelegation(id)))) return;
    void message.success('Đã kết thúc ủy quyền.');
    loaded.reload();
  };

  const columns: TableProps<Delegation>['columns'] = [
    {
      title: 'Người được ủy quyền',
      key: 'delegate',
      render: (_: unknown, row) => (
        <span>
          {personLabel(row.delegate)}
          <br />
          <Typography.Text type="secondary">{roleName(row.delegate_role)}</Typography.Text>
        </span>
      ),
    },
    {
      title: 'Người ủy quyền',
      key: 'delegator',
      width: 180,
      render: (_: unknown, row) => row.delegator.full_name,
    },
    {
      title: 'Thời gian',
      key: 'period',
      width: 200,
      render: (_: unknown, row) => `${formatDate(row.starts_on)} – ${formatDate(row.ends_on)}`,
    },
    { title: 'Lý do', dataIndex: 'reason', key: 'reason' },
    {
      title: 'Trạng thái',
      key: 'state',
      width: 170,
      render: (_: unknown, row) => {
        const { label, colour } = delegationState(row.state);
        return (
          <span>
            <Tag color={colour}>{label}</Tag>
            {row.ended_at !== null && (
              <Typography.Text type="secondary">
                <br />
                {formatInstant(row.ended_at)}
                {row.ended_by !== null ? ` — ${row.ended_by.full_name}` : ''}
              </Typography.Text>
            )}
          </span>
        );
      },
    },
    {
      title: 'Thao tác',
      key: 'actions',
      width: 130,
      render: (_: unknown, row) =>
        row.state === 'active' || row.state === 'scheduled' ? (
          <Popconfirm
            title="Kết thúc ủy quyền?"
            description={`${row.delegate.full_name} sẽ không còn quyền của lãnh đạo từ bây giờ.`}
            okText="Kết thúc"
            cancelText="Không"
            onConfirm={() => end(row.id)}
          >
            <Button danger aria-label={`Kết thúc ủy quyền cho ${row.delegate.full_name}`}>
              Kết thúc
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  return (
    <div className="truc-page truc-page-wide">
      <Typography.Title level={2} className="truc-page-title">
        Ủy quyền
      </Typography.Title>
      <FailureAlert failure={error} onClose={clearError} />
      <Card className="truc-card" title="Ủy quyền mới">
        <Typography.Paragraph type="secondary">
          Trong thời gian ủy quyền, người được ủy quyền có các quyền của lãnh đạo (xem và giao xử
          lý văn bản đến, theo dõi tiến độ), trừ quyền ủy quyền tiếp. Mọi thao tác được ghi nhật ký
          kèm tên lãnh đạo ủy quyền.
        </Typography.Paragraph>
        <Form<NewDelegation>
          form={form}
          layout="vertical"
          onFinish={(values) => void submit(values)}
          initialValues={{ starts_on: today, ends_on: today }}
          requiredMark="optional"
        >
          <Form.Item
            name="delegate"
            label="Người được ủy quyền"
            rules={[{ required: true, message: 'Vui lòng chọn người được ủy quyền.' }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              placeholder="Chọn cán bộ"
              options={people.map((person) => ({
                value: person.username,
                label: personLabel(person),
              }))}
            />
          </Form.Item>
          <div className="truc-form-row">
            <Form.Item
              name="starts_on"
              label="Từ ngày"
              rules={[{ required: true, message: 'Vui lòng chọn ngày bắt đầu.' }]}
            >
              <Input type="date" min={today} />
            </Form.Item>
            <Form.Item
              name="ends_on"
              label="Đến hết ngày"
              dependencies={['starts_on']}
              rules={[
                { required: true, message: 'Vui lòng chọn ngày kết thúc.' },
                ({ getFieldValue }) => ({
                  validator: (_, value: string | undefined) =>
                    value === undefined || value >= String(getFieldValue('starts_on'))
                      ? Promise.resolve()
                      : Promise.reject(new Error('Ngày kết thúc phải từ ngày bắt đầu trở đi.')),
                }),
              ]}
            >
              <Input type="date" min={today} />
            </Form.Item>
          </div>
          <Form.Item
            name="reason"
            label="Lý do"
            rules={[
              { required: true, whitespace: true, message: 'Vui lòng nhập lý do ủy quyền.' },
              { max: 500, message: 'Lý do không quá 500 ký tự.' },
            ]}
          >
            <Input.TextArea rows={2} maxLength={500} showCount placeholder="Ví dụ: đi công tác" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={creating.busy}>
            Ủy quyền
          </Button>
        </Form>
      </Card>
      <Card className="truc-card" title={<span id={TITLE_ID}>Danh sách ủy quyền</span>}>
        <Table<Delegation>
          rowKey="id"
          columns={columns}
          dataSource={items ?? []}
          loading={items === null}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          size="middle"
          scroll={{ x: 900 }}
          components={{ table: NamedTable }}
        />
      </Card>
    </div>
  );
}
