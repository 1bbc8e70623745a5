// Pieces the administration pages share: loading a list, showing an error,
// naming a table for screen readers, and the dialog that edits a name.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { isSessionLost } from '../api';
import { errorText } from '../i18n';

export type Failure = { text: string; code: string } | null;

/** Names of catalogue entries: one line, 1..200 characters (the server checks the same). */
export const NAME_MAX = 200;

export function FailureAlert({ failure }: { failure: Failure }) {
  if (failure === null) return null;
  return (
    <Alert
      type="error"
      showIcon
      message={failure.text}
      description={<small>Mã lỗi: {failure.code}</small>}
      style={{ marginBottom: 16 }}
    />
  );
}

/**
 * A <table> whose accessible name is the element `labelledBy` (rc-table lets us
 * replace the element). Made once per table at module level so React keeps it.
 */
export function namedTable(labelledBy: string) {
  return function NamedTable(props: React.TableHTMLAttributes<HTMLTableElement>) {
    return <table {...props} aria-labelledby={labelledBy} />;
  };
}

/** A list from the API: null while loading; reload() fetches it again. */
export function useList<T>(
  load: () => Promise<T[]>,
  onSessionLost: () => void,
): { items: T[] | null; failure: Failure; reload: () => void } {
  const [items, setItems] = useState<T[] | null>(null);
  const [failure, setFailure] = useState<Failure>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let live = true;
    setFailure(null);
    load()
      .then((answer) => {
        if (live) setItems(answer);
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (isSessionLost(e)) {
          onSessionLost();
          return;
        }
        setFailure(errorText(e));
        setItems([]);
      });
    return () => {
      live = false;
    };
  }, [load, reloads, onSessionLost]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return { items, failure, reload };
}

/**
 * Runs one change against the API for a dialog: busy while it runs, the session
 * lost handled, any other error kept to show in the dialog. Answers whether it
 * succeeded.
 */
export function useChange(onSessionLost: () => void) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure>(null);

  const run = useCallback(
    async (change: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true);
      setFailure(null);
      try {
        await change();
        setBusy(false);
        return true;
      } catch (e) {
        setBusy(false);
        if (isSessionLost(e)) onSessionLost();
        else setFailure(errorText(e));
        return false;
      }
    },
    [onSessionLost],
  );
  const clear = useCallback(() => setFailure(null), []);
  return { busy, failure, run, clear };
}

/** A rule for a one-line name of at most `max` characters. */
export function nameRules(what: string, max: number) {
  return [
    { required: true, whitespace: true, message: `Vui lòng nhập ${what}.` },
    { max, message: `${capitalise(what)} có tối đa ${max} ký tự.` },
  ];
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}

interface NameDialogProps {
  /** The form's name, which prefixes its inputs' ids. */
  formName: string;
  /** The dialog's title, e.g. "Thêm lĩnh vực". */
  title: string;
  /** The field's label, e.g. "Tên lĩnh vực". */
  label: string;
  /** Null while closed; the name to start from ('' to add). */
  initial: string | null;
  okText: string;
  /** Saves the name; answers whether it succeeded (the dialog then closes). */
  onSave: (name: string) => Promise<boolean>;
  onClose: () => void;
  busy: boolean;
  failure: Failure;
}

/** The dialog that adds or renames an entry known by its name alone. */
export function NameDialog({
  formName,
  title,
  label,
  initial,
  okText,
  onSave,
  onClose,
  busy,
  failure,
}: NameDialogProps) {
  const [form] = Form.useForm<{ name: string }>();
  const submit = async ({ name }: { name: string }) => {
    if (await onSave(name.trim())) onClose();
  };
  return (
    <Modal
      title={title}
      open={initial !== null}
      okText={okText}
      cancelText="Hủy"
      onOk={() => form.submit()}
      onCancel={() => {
        if (!busy) onClose();
      }}
      confirmLoading={busy}
      maskClosable={!busy}
      destroyOnHidden
    >
      <FailureAlert failure={failure} />
      <Form
        form={form}
        name={formName}
        layout="vertical"
        requiredMark={false}
        initialValues={{ name: initial ?? '' }}
        onFinish={(fields) => void submit(fields)}
        disabled={busy}
        preserve={false}
      >
        <Form.Item
          label={label}
          name="name"
          rules={nameRules(label.toLocaleLowerCase('vi'), NAME_MAX)}
        >
          <Input maxLength={NAME_MAX} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
