// The clerk's two answers to a new incoming document: register it (vào sổ),
// which gives it the next arrival number, or return it to the sender.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { RollbackOutlined, SaveOutlined } from '@ant-design/icons';
import {
  ApiError,
  isSessionLost,
  listIncomingRegisters,
  registerIncoming,
  returnIncoming,
  type IncomingDetail,
  type Register,
} from '../api';
import { errorText, registeredMessage } from '../i18n';

interface Props {
  document: IncomingDetail;
  /** The document as the server now has it. */
  onChanged: (document: IncomingDetail) => void;
  /** The document changed under us (someone else acted first): load it again. */
  onStale: () => void;
  onSessionLost: () => void;
}

type Failure = { text: string; code: string } | null;

// Answers that mean our copy of the document is out of date.
const STALE_CODES: ReadonlySet<string> = new Set([
  'incoming.already_registered',
  'incoming.already_returned',
]);

export const REASON_MAX = 500;

export default function IncomingActions({ document, onChanged, onStale, onSessionLost }: Props) {
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<'register' | 'return' | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure>(null);
  const [registers, setRegisters] = useState<Register[] | null>(null);
  const [registerForm] = Form.useForm<{ register_id: number }>();
  const [returnForm] = Form.useForm<{ reason: string }>();

  useEffect(() => {
    if (dialog !== 'register' || registers !== null) return;
    let live = true;
    listIncomingRegisters()
      .then((items) => {
        if (live) setRegisters(items);
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
  }, [dialog, registers, onSessionLost]);

  const open = (which: 'register' | 'return') => {
    setFailure(null);
    setDialog(which);
  };

  const close = () => {
    if (busy) return;
    setDialog(null);
    setFailure(null);
  };

  const act = async (send: () => Promise<IncomingDetail>, done: (d: IncomingDetail) => string) => {
    setBusy(true);
    setFailure(null);
    try {
      const updated = await send();
      setBusy(false);
      setDialog(null);
      onChanged(updated);
      void message.success(done(updated));
    } catch (e) {
      setBusy(false);
      if (isSessionLost(e)) {
        onSessionLost();
        return;
      }
      if (e instanceof ApiError && STALE_CODES.has(e.code)) {
        // Someone acted first: the buttons go once the document is reloaded, so say why here.
        setDialog(null);
        void message.warning(errorText(e).text);
        onStale();
        return;
      }
      setFailure(errorText(e));
    }
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

  const failureAlert = failure !== null && (
    <Alert
      type="error"
      showIcon
      message={failure.text}
      description={<small>Mã lỗi: {failure.code}</small>}
      style={{ marginBottom: 16 }}
    />
  );

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
        cancelText="Hủy"
        onOk={() => registerForm.submit()}
        onCancel={close}
        confirmLoading={busy}
        okButtonProps={{ disabled: registers === null || registers.length === 0 }}
        maskClosable={!busy}
        destroyOnHidden
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
              options={(registers ?? []).map((r) => ({
                value: r.id,
                label: `${r.name} (${r.year})`,
              }))}
            />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title="Trả lại văn bản"
        open={dialog === 'return'}
        okText="Trả lại"
        cancelText="Hủy"
        okButtonProps={{ danger: true }}
        onOk={() => returnForm.submit()}
        onCancel={close}
        confirmLoading={busy}
        maskClosable={!busy}
        destroyOnHidden
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
