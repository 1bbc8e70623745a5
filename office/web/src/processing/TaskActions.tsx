// The main handler's steps on a task: start the work ("Bắt đầu xử lý", status
// 05 to the sender), finish it with its result ("Hoàn thành", 06), or close it
// with a reason when it needs no action ("Không cần xử lý", 06 as well).
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal } from 'antd';
import { CheckCircleOutlined, MinusCircleOutlined, PlayCircleOutlined } from '@ant-design/icons';
import {
  ApiError,
  closeWithoutAction,
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
  // Which closing the modal asks for: with a result, or as needing no action.
  const [closing, setClosing] = useState<'finish' | 'no_action' | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure>(null);
  const [form] = Form.useForm<{ text: string }>();

  // Errors of the modal show in it; errors of "Bắt đầu xử lý" as a message.
  const act = async (send: () => Promise<Assignment>, done: string, inModal: boolean) => {
    setBusy(true);
    setFailure(null);
    try {
      const assignment = await send();
      setBusy(false);
      setClosing(null);
      onChanged(assignment);
      void message.success(done);
    } catch (e) {
      setBusy(false);
      if (isSessionLost(e)) {
        onSessionLost();
        return;
      }
      if (e instanceof ApiError && STALE_CODES.has(e.code)) {
        setClosing(null);
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
    setClosing(null);
    setFailure(null);
  };

  const ask = (kind: 'finish' | 'no_action') => {
    setFailure(null);
    setClosing(kind);
  };

  if (state === 'done') return null;

  const noAction = closing === 'no_action';

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
          onClick={() => ask('finish')}
        >
          Hoàn thành
        </Button>
      )}
      <Button icon={<MinusCircleOutlined aria-hidden="true" />} onClick={() => ask('no_action')}>
        Không cần xử lý
      </Button>

      <Modal
        title={noAction ? 'Không cần xử lý' : 'Hoàn thành xử lý'}
        open={closing !== null}
        okText={noAction ? 'Xác nhận không cần xử lý' : 'Hoàn thành'}
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
          name={noAction ? 'task-no-action' : 'task-finish'}
          layout="vertical"
          requiredMark={false}
          onFinish={(fields) =>
            void act(
              () =>
                noAction
                  ? closeWithoutAction(documentId, fields.text.trim())
                  : finishTask(documentId, fields.text.trim()),
              noAction ? 'Đã ghi nhận không cần xử lý' : 'Đã hoàn thành',
              true,
            )
          }
          disabled={busy}
          preserve={false}
        >
          {noAction && (
            <p>
              Văn bản được kết thúc xử lý; cơ quan gửi nhận trạng thái hoàn thành kèm lý do không
              cần xử lý.
            </p>
          )}
          <Form.Item
            label={noAction ? 'Lý do không cần xử lý' : 'Kết quả xử lý'}
            name="text"
            rules={[
              {
                required: true,
                whitespace: true,
                message: noAction
                  ? 'Vui lòng nhập lý do không cần xử lý.'
                  : 'Vui lòng nhập kết quả xử lý.',
              },
              {
                max: RESULT_MAX,
                message: `${noAction ? 'Lý do' : 'Kết quả xử lý'} không quá ${RESULT_MAX} ký tự.`,
              },
            ]}
          >
            <Input.TextArea rows={5} maxLength={RESULT_MAX} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
