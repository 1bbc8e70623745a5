// The main handler's two steps on a task: start the work ("Bắt đầu xử lý",
// status 05 to the sender) and finish it with its result ("Hoàn thành", 06).
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal } from 'antd';
import { CheckCircleOutlined, PlayCircleOutlined } from '@ant-design/icons';
import {
  ApiError,
  finishTask,
  isSessionLost,
  startTask,
  type Assignment,
  type AssignmentState,
} from '../api';
import { errorText } from '../i18n';

interface Props {
  documentId: number;
  state: AssignmentState;
  onChanged: (assignment: Assignment) => void;
  /** The task moved on elsewhere (another tab, another device): load it again. */
  onStale: () => void;
  onSessionLost: () => void;
}

type Failure = { text: string; code: string } | null;

const STALE_CODES: ReadonlySet<string> = new Set([
  'task.already_started',
  'task.already_done',
  'task.not_started',
]);

export const RESULT_MAX = 2000;

export default function TaskActions({
  documentId,
  state,
  onChanged,
  onStale,
  onSessionLost,
}: Props) {
  const { message } = App.useApp();
  const [finishing, setFinishing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure>(null);
  const [form] = Form.useForm<{ result: string }>();

  // Errors of the modal show in it; errors of "Bắt đầu xử lý" as a message.
  const act = async (send: () => Promise<Assignment>, done: string, inModal: boolean) => {
    setBusy(true);
    setFailure(null);
    try {
      const assignment = await send();
      setBusy(false);
      setFinishing(false);
      onChanged(assignment);
      void message.success(done);
    } catch (e) {
      setBusy(false);
      if (isSessionLost(e)) {
        onSessionLost();
        return;
      }
      if (e instanceof ApiError && STALE_CODES.has(e.code)) {
        setFinishing(false);
        void message.warning(errorText(e).text);
        onStale();
        return;
      }
      if (inModal) setFailure(errorText(e));
      else void message.error(`${errorText(e).text} (Mã lỗi: ${errorText(e).code})`);
    }
  };

  const close = () => {
    if (busy) return;
    setFinishing(false);
    setFailure(null);
  };

  if (state === 'done') return null;

  return (
    <>
      {state === 'assigned' ? (
        <Button
          type="primary"
          icon={<PlayCircleOutlined aria-hidden="true" />}
          loading={busy}
          onClick={() => void act(() => startTask(documentId), 'Đã bắt đầu xử lý', false)}
        >
          Bắt đầu xử lý
        </Button>
      ) : (
        <Button
          type="primary"
          icon={<CheckCircleOutlined aria-hidden="true" />}
          onClick={() => {
            setFailure(null);
            setFinishing(true);
          }}
        >
          Hoàn thành
        </Button>
      )}

      <Modal
        title="Hoàn thành xử lý"
        open={finishing}
        okText="Hoàn thành"
        cancelText="Hủy"
        onOk={() => form.submit()}
        onCancel={close}
        confirmLoading={busy}
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
        <Form
          form={form}
          name="task-finish"
          layout="vertical"
          requiredMark={false}
          onFinish={(fields) =>
            void act(() => finishTask(documentId, fields.result.trim()), 'Đã hoàn thành', true)
          }
          disabled={busy}
          preserve={false}
        >
          <Form.Item
            label="Kết quả xử lý"
            name="result"
            rules={[
              { required: true, whitespace: true, message: 'Vui lòng nhập kết quả xử lý.' },
              { max: RESULT_MAX, message: `Kết quả xử lý không quá ${RESULT_MAX} ký tự.` },
            ]}
          >
            <Input.TextArea rows={5} maxLength={RESULT_MAX} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
