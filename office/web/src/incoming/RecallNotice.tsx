// The sender's recall (thu hồi) of an incoming document, shown above it, and the
// clerk's answer: accept it (the document is void here, status 15 to the sender)
// or refuse it with a reason (status 16).
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Space } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import {
  acceptRecall,
  refuseRecall,
  type IncomingDetail,
  type Recall,
} from '../api';
import { formatInstant } from '../format';
import { changeDialog, FailureAlert, useChange } from '../common';
import { REASON_MAX } from './IncomingActions';

interface Props {
  recall: Recall;
  documentId: number;
  /** The clerk's answer (decide_incoming). */
  canAnswer: boolean;
  onChanged: (document: IncomingDetail) => void;
  onStale: () => void;
  onSessionLost: () => void;
}

const STALE_CODES: ReadonlySet<string> = new Set(['incoming.no_recall']);

function decidedBy(recall: Recall): string {
  const who = recall.decided_by ?? 'văn thư';
  return recall.decided_at === null ? who : `${who}, ${formatInstant(recall.decided_at)}`;
}

export default function RecallNotice({
  recall,
  documentId,
  canAnswer,
  onChanged,
  onStale,
  onSessionLost,
}: Props) {
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<'accept' | 'refuse' | null>(null);
  const change = useChange(onSessionLost, {
    codes: STALE_CODES,
    onStale: () => {
      setDialog(null);
      onStale();
    },
  });
  const { busy, failure } = change;
  const [refuseForm] = Form.useForm<{ reason: string }>();

  const act = async (send: () => Promise<IncomingDetail>, done: string) => {
    const answer = await change.attempt(send);
    if (answer === null) return;
    setDialog(null);
    onChanged(answer.value);
    void message.success(done);
  };

  const close = () => {
    if (busy) return;
    setDialog(null);
    change.clear();
  };

  const failureAlert = <FailureAlert failure={failure} />;

  if (recall.state === 'accepted') {
    return (
      <Alert
        type="error"
        showIcon
        role="status"
        className="truc-recall"
        message="Văn bản đã bị cơ quan gửi thu hồi và đã hủy trên phần mềm"
        description={
          <>
            <div>Lý do thu hồi: {recall.reason || 'không nêu'}</div>
            <div>Đồng ý thu hồi: {decidedBy(recall)}</div>
          </>
        }
      />
    );
  }
  if (recall.state === 'refused') {
    return (
      <Alert
        type="info"
        showIcon
        role="status"
        className="truc-recall"
        message="Đã từ chối đề nghị thu hồi của cơ quan gửi"
        description={
          <>
            <div>Lý do thu hồi: {recall.reason || 'không nêu'}</div>
            <div>
              Lý do từ chối: {recall.refusal} ({decidedBy(recall)})
            </div>
          </>
        }
      />
    );
  }
  return (
    <>
      <Alert
        type="warning"
        showIcon
        role="alert"
        className="truc-recall"
        message="Cơ quan gửi đề nghị thu hồi văn bản này"
        description={
          <>
            <div>Lý do: {recall.reason || 'không nêu'}</div>
            <div>Nhận đề nghị lúc {formatInstant(recall.requested_at)}</div>
          </>
        }
        action={
          canAnswer && (
            <Space direction="vertical">
              <Button
                type="primary"
                danger
                icon={<CheckOutlined aria-hidden="true" />}
                onClick={() => setDialog('accept')}
              >
                Đồng ý thu hồi
              </Button>
              <Button icon={<CloseOutlined aria-hidden="true" />} onClick={() => setDialog('refuse')}>
                Từ chối thu hồi
              </Button>
            </Space>
          )
        }
      />

      <Modal
        title="Đồng ý thu hồi văn bản"
        open={dialog === 'accept'}
        okText="Đồng ý thu hồi"
        {...changeDialog(busy, close)}
        okButtonProps={{ danger: true }}
        onOk={() =>
          void act(
            () => acceptRecall(documentId),
            'Đã đồng ý thu hồi; văn bản đã hủy và cơ quan gửi sẽ nhận được thông báo.',
          )
        }
      >
        {failureAlert}
        <p>
          Văn bản sẽ bị hủy trên phần mềm (số đến vẫn giữ trong sổ) và không thể xử lý tiếp. Cơ quan
          gửi nhận thông báo "Đồng ý thu hồi".
        </p>
      </Modal>

      <Modal
        title="Từ chối thu hồi văn bản"
        open={dialog === 'refuse'}
        okText="Từ chối thu hồi"
        {...changeDialog(busy, close)}
        onOk={() => refuseForm.submit()}
      >
        {failureAlert}
        <Form
          form={refuseForm}
          name="recall-refuse"
          layout="vertical"
          requiredMark={false}
          onFinish={(fields) =>
            void act(
              () => refuseRecall(documentId, fields.reason.trim()),
              'Đã từ chối thu hồi; cơ quan gửi sẽ nhận được thông báo.',
            )
          }
          disabled={busy}
          preserve={false}
        >
          <Form.Item
            label="Lý do từ chối"
            name="reason"
            rules={[
              { required: true, whitespace: true, message: 'Vui lòng nhập lý do từ chối.' },
              { max: REASON_MAX, message: `Lý do từ chối không quá ${REASON_MAX} ký tự.` },
            ]}
          >
            <Input.TextArea rows={4} maxLength={REASON_MAX} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
