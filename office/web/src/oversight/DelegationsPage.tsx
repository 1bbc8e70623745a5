// "Ủy quyền": a leader gives another account of the agency the leader's powers for some days
// (in Vietnam time) with a reason, sees the agency's delegations and ends one early.
import { useEffect, useState } from 'react';
import {
  Alert,
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
  isSessionLost,
  listDelegationCandidates,
  listDelegations,
  type Delegation,
  type NewDelegation,
  type Person,
} from '../api';
import { delegationState, errorText, personLabel, roleName } from '../i18n';
import { formatDate, formatInstant, todayInVietnam } from '../format';

interface Props {
  onSessionLost: () => void;
}

const TITLE_ID = 'truc-delegations-title';

function NamedTable(props: React.TableHTMLAttributes<HTMLTableElement>) {
  return <table {...props} aria-labelledby={TITLE_ID} />;
}

export default function DelegationsPage({ onSessionLost }: Props) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<NewDelegation>();
  const [items, setItems] = useState<Delegation[] | null>(null);
  const [people, setPeople] = useState<Person[]>([]);
  const [error, setError] = useState<{ text: string; code: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [reloads, setReloads] = useState(0);
  const today = todayInVietnam();

  useEffect(() => {
    let live = true;
    setItems(null);
    Promise.all([listDelegations(), listDelegationCandidates()])
      .then(([delegations, candidates]) => {
        if (!live) return;
        setItems(delegations);
        setPeople(candidates);
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
  }, [reloads, onSessionLost]);

  const failed = (e: unknown) => {
    if (isSessionLost(e)) {
      onSessionLost();
      return;
    }
    setError(errorText(e));
  };

  const submit = async (values: NewDelegation) => {
    setSaving(true);
    setError(null);
    try {
      await createDelegation({ ...values, reason: values.reason.trim() });
      void message.success('Đã ủy quyền.');
      form.resetFields();
      setReloads((n) => n + 1);
    } catch (e) {
      failed(e);
    } finally {
      setSaving(false);
    }
  };

  const end = async (id: number) => {
    setError(null);
    try {
      await endDelegation(id);
      void message.success('Đã kết thúc ủy quyền.');
      setReloads((n) => n + 1);
    } catch (e) {
      failed(e);
    }
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
      {error !== null && (
        <Alert
          type="error"
          showIcon
          message={error.text}
          description={<small>Mã lỗi: {error.code}</small>}
          style={{ marginBottom: 16 }}
          closable
          onClose={() => setError(null)}
        />
      )}
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
          <Button type="primary" htmlType="submit" loading={saving}>
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
