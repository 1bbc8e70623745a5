// "Chuyển xử lý": the holder of a task (its main handler, or the head of the
// department it was given to) passes the main handling to a colleague of the
// same department, with a note. The server keeps every handover.
import { useCallback, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select } from 'antd';
import { SwapOutlined } from '@ant-design/icons';
import {
  forwardTask,
  listColleagues,
  type Assignment,
  type Person,
} from '../api';
import { personLabel } from '../i18n';
import { changeDialog, FailureAlert, useChange, useLoad } from '../common';

interface Props {
  documentId: number;
  onForwarded: (assignment: Assignment) => void;
  /** The task moved on elsewhere (closed, or passed on by someone else): load it again. */
  onStale: () => void;
  onSessionLost: () => void;
}

interface Fields {
  to: string;
  note?: string;
}

const STALE_CODES: ReadonlySet<string> = new Set(['task.already_done', 'incoming.not_found']);

export const NOTE_MAX = 2000;

export default function ForwardAction({ documentId, onForwarded, onStale, onSessionLost }: Props) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const change = useChange(onSessionLost, {
    codes: STALE_CODES,
    onStale: () => {
      setOpen(false);
      onStale();
    },
  });
  const [form] = Form.useForm<Fields>();

  // The colleagues are loaded again each time the dialog opens.
  const loadColleagues = useCallback(
    () => (open ? listColleagues(documentId) : Promise.resolve(null)),
    [open, documentId],
  );
  const loaded = useLoad<Person[] | null>(loadColleagues, onSessionLost, null, true);
  const colleagues = loaded.data;
  const { busy } = change;
  const failure = change.failure ?? loaded.failure;

  const close = () => {
    if (busy) return;
    setOpen(false);
    change.clear();
  };

  const submit = async (fields: Fields) => {
    const answer = await change.attempt(() =>
      forwardTask(documentId, fields.to, (fields.note ?? '').trim()),
    );
    if (answer === null) return;
    setOpen(false);
    onForwarded(answer.value);
    void message.success('Đã chuyển xử lý');
  };

  return (
    <>
      <Button
        icon={<SwapOutlined aria-hidden="true" />}
        onClick={() => {
          change.clear();
          setOpen(true);
        }}
      >
        Chuyển xử lý
      </Button>

      <Modal
        title="Chuyển xử lý"
        open={open}
        okText="Chuyển xử lý"
        {...changeDialog(busy, close)}
        onOk={() => form.submit()}
        okButtonProps={{ disabled: colleagues === null || colleagues.length === 0 }}
      >
        <FailureAlert failure={failure} />
        {colleagues !== null && colleagues.length === 0 && (
          <Alert
            type="warning"
            showIcon
            message="Phòng ban không còn cán bộ nào khác để chuyển xử lý."
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<Fields>
          form={form}
          name="task-forward"
          layout="vertical"
          onFinish={(fields) => void submit(fields)}
          disabled={busy}
          preserve={false}
        >
          <Form.Item
            label="Chuyển cho"
            name="to"
            extra="Chỉ chuyển cho cán bộ cùng phòng ban."
            rules={[{ required: true, message: 'Vui lòng chọn người nhận xử lý chính.' }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              loading={colleagues === null && failure === null}
              placeholder="Chọn cán bộ trong phòng"
              options={(colleagues ?? []).map((p) => ({ value: p.username, label: personLabel(p) }))}
              notFoundContent="Không có cán bộ phù hợp"
            />
          </Form.Item>
          <Form.Item
            label="Ghi chú chuyển xử lý"
            name="note"
            rules={[{ max: NOTE_MAX, message: `Ghi chú không quá ${NOTE_MAX} ký tự.` }]}
          >
            <Input.TextArea rows={3} maxLength={NOTE_MAX} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
