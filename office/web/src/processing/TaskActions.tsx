// The main handler's steps on a task: start the work ("Bắt đầu xử lý", status
// 05 to the sender), finish it with its result ("Hoàn thành", 06), or close it
// with a reason when it needs no action ("Không cần xử lý", 06 as well).
import { useState } from 'react';
import { App, Button, Form, Input, Modal } from 'antd';
import { CheckCircleOutlined, MinusCircleOutlined, PlayCircleOutlined } from '@ant-design/icons';
import {
  closeWithoutAction,
  finishTask,
  startTask,
  type Assignment,
  type AssignmentState,
} from '../api';
import { changeDialog, FailureAlert, useChange } from '../common';

interface Props {
  documentId: number;
  state: AssignmentState;
  onChanged: (assignment: Assignment) => void;
  /** The task moved on elsewhere (another tab, another device): load it again. */
  onStale: () => void;
  onSessionLost: () => void;
}

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
  const change = useChange(onSessionLost, {
    codes: STALE_CODES,
    onStale: () => {
      setClosing(null);
      onStale();
    },
  });
  const { busy, failure } = change;
  const [form] = Form.useForm<{ text: string }>();

  // Errors of the modal show in it; errors of "Bắt đầu xử lý" as a message.
  const act = async (send: () => Promise<Assignment>, done: string, inModal: boolean) => {
    const answer = await change.attempt(
      send,
      inModal
        ? undefined
        : (failure) => void message.error(`${failure.text} (Mã lỗi: ${failure.code})`),
    );
    if (answer === null) return;
    setClosing(null);
    onChanged(answer.value);
    void message.success(done);
  };

  const close = () => {
    if (busy) return;
    setClosing(null);
    change.clear();
  };

  const ask = (kind: 'finish' | 'no_action') => {
    change.clear();
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
        {...changeDialog(busy, close)}
        onOk={() => form.submit()}
      >
        <FailureAlert failure={failure} />
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
