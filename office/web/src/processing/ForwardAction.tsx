// "Chuyển xử lý": the holder of a task (its main handler, or the head of the
// department it was given to) passes the main handling to a colleague of the
// same department, with a note. The server keeps every handover.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select } from 'antd';
import { SwapOutlined } from '@ant-design/icons';
import {
  ApiError,
  forwardTask,
  isSessionLost,
  listColleagues,
  type Assignment,
  type Person,
} from '../api';
import { errorText, personLabel } from '../i18n';

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

type Failure = { text: string; code: string } | null;

const STALE_CODES: ReadonlySet<string> = new Set(['task.already_done', 'incoming.not_found']);

export const NOTE_MAX = 2000;

export default function ForwardAction({ documentId, onForwarded, onStale, onSessionLost }: Props) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure>(null);
  const [colleagues, setColleagues] = useState<Person[] | null>(null);
  const [form] = Form.useForm<Fields>();

  useEffect(() => {
    if (!open) return;
    let live = true;
    setColleagues(null);
    listColleagues(documentId)
      .then((people) => {
        if (live) setColleagues(people);
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (isSessionLost(e)) {
          onSessionLost();
          return;
        }
        setFailure(errorText(e));
      });
    return () => {
      live = false;
    };
  }, [open, documentId, onSessionLost]);

  const close = () => {
    if (busy) return;
    setOpen(false);
    setFailure(null);
  };

  const submit = async (fields: Fields) => {
    setBusy(true);
    setFailure(null);
    try {
      const assignment = await forwardTask(documentId, fields.to, (fields.note ?? '').trim());
      setBusy(false);
      setOpen(false);
      onForwarded(assignment);
      void message.success('Đã chuyển xử lý');
    } catch (e) {
      setBusy(false);
      if (isSessionLost(e)) {
        onSessionLost();
        return;
      }
      if (e instanceof ApiError && STALE_CODES.has(e.code)) {
        setOpen(false);
        void message.warning(errorText(e).text);
        onStale();
        return;
      }
      setFailure(errorText(e));
    }
  };

  return (
    <>
      <Button
        icon={<SwapOutlined aria-hidden="true" />}
        onClick={() => {
          setFailure(null);
          setOpen(true);
        }}
      >
        Chuyển xử lý
      </Button>

      <Modal
        title="Chuyển xử lý"
        open={open}
        okText="Chuyển xử lý"
        cancelText="Hủy"
        onOk={() => form.submit()}
        onCancel={close}
        confirmLoading={busy}
        okButtonProps={{ disabled: colleagues === null || colleagues.length === 0 }}
        maskClosable={!busy}
        destroyOnHidden
      >
        {failure !== null && (
          <Alert
            type="error"
            showIcon
            message={failure.text}
            description={<small>Mã lỗi: {failure.code}</small>}
            style={{ marginBottom: 16 }}
          />
        )}
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
