// The leader's "Giao xử lý" on a registered document: one main handler (a
// person, or a department whose head passes it to a member), any co-handlers
// and readers, an optional due date and the leader's instructions.
import { useState } from 'react';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import type { DatePickerProps } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import {
  assignIncoming,
  listHandlers,
  type Assignment,
  type Department,
  type Person,
} from '../api';
import { personLabel } from '../i18n';
import { changeDialog, FailureAlert, useChange, useLoadWhen } from '../common';
import { todayInVietnam } from '../format';

interface Props {
  documentId: number;
  onAssigned: (assignment: Assignment) => void;
  /** The document changed under us (assigned by someone else first): load it again. */
  onStale: () => void;
  onSessionLost: () => void;
}

type Day = NonNullable<DatePickerProps['value']>;

type MainKind = 'person' | 'department';

interface Fields {
  main_kind: MainKind;
  main_handler?: string;
  main_department_id?: number;
  co_handlers?: string[];
  readers?: string[];
  due_date?: Day | null;
  instructions?: string;
}

const STALE_CODES: ReadonlySet<string> = new Set([
  'incoming.already_assigned',
  'incoming.not_registered',
]);

export const INSTRUCTIONS_MAX = 2000;
const DATE_FORMAT = 'DD/MM/YYYY';

// The server refuses a due date before its today; Vietnam's today is the one people mean.
const beforeToday = (day: Day) => day.format('YYYY-MM-DD') < todayInVietnam();

export default function AssignAction({ documentId, onAssigned, onStale, onSessionLost }: Props) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const change = useChange(onSessionLost, {
    codes: STALE_CODES,
    onStale: () => {
      setOpen(false);
      onStale();
    },
  });
  const { busy, failure, fail: setFailure } = change;
  const loaded = useLoadWhen(open, listHandlers, onSessionLost, setFailure);
  const handlers: Person[] | null = loaded?.people ?? null;
  const departments: Department[] = loaded?.departments ?? [];
  const [form] = Form.useForm<Fields>();
  const mainKind = Form.useWatch('main_kind', form) ?? 'person';
  const main = Form.useWatch('main_handler', form);
  const coHandlers = Form.useWatch('co_handlers', form);
  const readers = Form.useWatch('readers', form);

  // Each person takes one part: whoever is chosen elsewhere is not offered again.
  const optionsWithout = (...taken: (string | string[] | undefined)[]) => {
    const names = new Set(taken.flat().filter((n): n is string => n !== undefined));
    return (handlers ?? [])
      .filter((p) => !names.has(p.username))
      .map((p) => ({ value: p.username, label: personLabel(p) }));
  };

  const close = () => {
    if (busy) return;
    setOpen(false);
    change.clear();
  };

  const submit = async (fields: Fields) => {
    const answer = await change.attempt(() =>
      assignIncoming(documentId, {
        ...(fields.main_kind === 'department'
          ? { main_department_id: fields.main_department_id }
          : { main_handler: fields.main_handler }),
        co_handlers: fields.co_handlers ?? [],
        readers: fields.readers ?? [],
        due_date: fields.due_date ? fields.due_date.format('YYYY-MM-DD') : null,
        instructions: (fields.instructions ?? '').trim(),
      }),
    );
    if (answer === null) return;
    setOpen(false);
    onAssigned(answer.value);
    void message.success('Đã giao xử lý');
  };

  return (
    <>
      <Button
        type="primary"
        icon={<SendOutlined aria-hidden="true" />}
        onClick={() => {
          change.clear();
          setOpen(true);
        }}
      >
        Giao xử lý
      </Button>

      <Modal
        title="Giao xử lý"
        open={open}
        okText="Giao xử lý"
        {...changeDialog(busy, close)}
        onOk={() => form.submit()}
        okButtonProps={{ disabled: handlers === null || handlers.length === 0 }}
      >
        <FailureAlert failure={failure} />
        {handlers !== null && handlers.length === 0 && (
          <Alert
            type="warning"
            showIcon
            message="Cơ quan chưa có chuyên viên hay trưởng phòng nào để giao xử lý."
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<Fields>
          form={form}
          name="incoming-assign"
          layout="vertical"
          onFinish={(fields) => void submit(fields)}
          disabled={busy}
          preserve={false}
          initialValues={{ main_kind: 'person' }}
          onValuesChange={(changed: Partial<Fields>) => {
            // A person made main handler leaves the other two lists.
            if (changed.main_handler === undefined) return;
            const drop = (list?: string[]) => list?.filter((n) => n !== changed.main_handler);
            form.setFieldsValue({
              co_handlers: drop(form.getFieldValue('co_handlers')),
              readers: drop(form.getFieldValue('readers')),
            });
          }}
        >
          <Form.Item label="Giao xử lý chính cho" name="main_kind">
            <Radio.Group
              aria-label="Giao xử lý chính cho"
              optionType="button"
              options={[
                { value: 'person', label: 'Cá nhân' },
                { value: 'department', label: 'Phòng ban' },
              ]}
            />
          </Form.Item>
          {mainKind === 'person' ? (
            <Form.Item
              label="Xử lý chính"
              name="main_handler"
              rules={[{ required: true, message: 'Vui lòng chọn người xử lý chính.' }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                loading={handlers === null && failure === null}
                placeholder="Chọn người xử lý chính"
                options={optionsWithout()}
                notFoundContent="Không có cán bộ phù hợp"
              />
            </Form.Item>
          ) : (
            <Form.Item
              label="Phòng ban xử lý chính"
              name="main_department_id"
              extra="Trưởng phòng sẽ phân công chuyên viên trong phòng xử lý."
              rules={[{ required: true, message: 'Vui lòng chọn phòng ban xử lý chính.' }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                loading={handlers === null && failure === null}
                placeholder="Chọn phòng ban xử lý chính"
                options={departments.map((d) => ({ value: d.id, label: d.name }))}
                notFoundContent="Không có phòng ban nào có trưởng phòng"
              />
            </Form.Item>
          )}
          <Form.Item label="Phối hợp" name="co_handlers">
            <Select
              mode="multiple"
              optionFilterProp="label"
              placeholder="Chọn người phối hợp (không bắt buộc)"
              options={optionsWithout(main, readers)}
              notFoundContent="Không có cán bộ phù hợp"
            />
          </Form.Item>
          <Form.Item label="Để biết" name="readers">
            <Select
              mode="multiple"
              optionFilterProp="label"
              placeholder="Chọn người nhận để biết (không bắt buộc)"
              options={optionsWithout(main, coHandlers)}
              notFoundContent="Không có cán bộ phù hợp"
            />
          </Form.Item>
          <Form.Item label="Hạn xử lý" name="due_date">
            <DatePicker
              format={DATE_FORMAT}
              disabledDate={beforeToday}
              placeholder="dd/mm/yyyy (không bắt buộc)"
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item
            label="Ý kiến chỉ đạo"
            name="instructions"
            rules={[
              {
                max: INSTRUCTIONS_MAX,
                message: `Ý kiến chỉ đạo không quá ${INSTRUCTIONS_MAX} ký tự.`,
              },
            ]}
          >
            <Input.TextArea rows={4} maxLength={INSTRUCTIONS_MAX} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
