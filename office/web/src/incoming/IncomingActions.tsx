// The clerk's two answers to a new incoming document: register it (vào sổ),
// which gives it the next arrival number, or return it to the sender.
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { RollbackOutlined, SaveOutlined } from '@ant-design/icons';
import {
  listIncomingRegisters,
  registerIncoming,
  returnIncoming,
  type IncomingDetail,
  type Register,
} from '../api';
import { registeredMessage } from '../i18n';
import { changeDialog, FailureAlert, registerOptions, useChange, useLoadWhen } from '../common';

interface Props {
  document: IncomingDetail;
  /** The document as the server now has it. */
  onChanged: (document: IncomingDetail) => void;
  /** The document changed under us (someone else acted first): load it again. */
  onStale: () => void;
  onSessionLost: () => void;
}

// Answers that mean our copy of the document is out of date.
const STALE_CODES: ReadonlySet<string> = new Set([
  'incoming.already_registered',
  'incoming.already_returned',
]);

export const REASON_MAX = 500;

export default function IncomingActions({ document, onChanged, onStale, onSessionLost }: Props) {
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<'register' | 'return' | null>(null);
  const change = useChange(onSessionLost, {
    codes: STALE_CODES,
    onStale: () => {
      setDialog(null);
      onStale();
    },
  });
  const { busy, failure, clear: clearFailure, fail: setFailure } = change;
  const registers = useLoadWhen<Register[]>(
    dialog === 'register',
    listIncomingRegisters,
    onSessionLost,
    setFailure,
  );
  const [registerForm] = Form.useForm<{ register_id: number }>();
  const [returnForm] = Form.useForm<{ reason: string }>();

  const open = (which: 'register' | 'return') => {
    clearFailure();
    setDialog(which);
  };

  const close = () => {
    if (busy) return;
    setDialog(null);
    clearFailure();
  };

  const act = async (send: () => Promise<IncomingDetail>, done: (d: IncomingDetail) => string) => {
    const answer = await change.attempt(send);
    if (answer === null) return;
    setDialog(null);
    onChanged(answer.value);
    void message.success(done(answer.value));
  };

  const submitRegister = (fields: { register_id: number }) =>
    act(
      () => registerIncoming(document.id, fields.register_id),
      (d) => registeredMessage(d.arrival_number),
    );

  const submitReturn = (fields: { reason: string }) =>
    act(
      () => returnIncoming(document.id, fields.reason.trim()),
      () => 'Đã trả lại văn bản cho cơ quan gửi.',
    );

  const failureAlert = <FailureAlert failure={failure} />;

  return (
    <>
      <Space wrap>
        <Button
          type="primary"
          icon={<SaveOutlined aria-hidden="true" />}
          onClick={() => open('register')}
        >
          Vào sổ
        </Button>
        <Button
          danger
          icon={<RollbackOutlined aria-hidden="true" />}
          onClick={() => open('return')}
        >
          Trả lại
        </Button>
      </Space>

      <Modal
        title="Vào sổ văn bản đến"
        open={dialog === 'register'}
        okText="Vào sổ"
        {...changeDialog(busy, close)}
        onOk={() => registerForm.submit()}
        okButtonProps={{ disabled: registers === null || registers.length === 0 }}
      >
        {failureAlert}
        {registers !== null && registers.length === 0 && (
          <Alert
            type="warning"
            showIcon
            message="Chưa có sổ văn bản đến nào. Quản trị cơ quan cần mở sổ trước."
            style={{ marginBottom: 16 }}
          />
        )}
        <Form
          form={registerForm}
          name="incoming-register"
          layout="vertical"
          requiredMark={false}
          onFinish={(fields) => void submitRegister(fields)}
          disabled={busy}
          preserve={false}
        >
          <Form.Item
            label="Sổ văn bản"
            name="register_id"
            rules={[{ required: true, message: 'Vui lòng chọn sổ văn bản.' }]}
          >
            <Select
              loading={registers === null && failure === null}
              placeholder="Chọn sổ văn bản"
              options={registerOptions(registers)}
            />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title="Trả lại văn bản"
        open={dialog === 'return'}
        okText="Trả lại"
        {...changeDialog(busy, close)}
        okButtonProps={{ danger: true }}
        onOk={() => returnForm.submit()}
      >
        {failureAlert}
        <Form
          form={returnForm}
          name="incoming-return"
          layout="vertical"
          requiredMark={false}
          onFinish={(fields) => void submitReturn(fields)}
          disabled={busy}
          preserve={false}
        >
          <Form.Item
            label="Lý do trả lại"
            name="reason"
            rules={[
              { required: true, whitespace: true, message: 'Vui lòng nhập lý do trả lại.' },
              { max: REASON_MAX, message: `Lý do trả lại không quá ${REASON_MAX} ký tự.` },
            ]}
          >
            <Input.TextArea rows={4} maxLength={REASON_MAX} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
