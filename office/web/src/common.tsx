// Pieces the pages share: loading data, running a change, showing an error,
// naming a table for screen readers, and the dialog that edits a name.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CSSProperties } from 'react';
import { Alert, App, Button, Form, Input, Modal } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { ApiError, isSessionLost, type Register } from './api';
import { errorText } from './i18n';

export type Failure = { text: string; code: string } | null;

/** Names of catalogue entries: one line, 1..200 characters (the server checks the same). */
export const NAME_MAX = 200;

interface FailureAlertProps {
  failure: Failure;
  /** Defaults to a margin below the alert. */
  style?: CSSProperties;
  role?: string;
  /** Makes the alert closable. */
  onClose?: () => void;
}

/** An error as the pages show it: its text, and its code in small print. */
export function FailureAlert({
  failure,
  style = { marginBottom: 16 },
  role,
  onClose,
}: FailureAlertProps) {
  if (failure === null) return null;
  return (
    <Alert
      type="error"
      showIcon
      message={failure.text}
      description={<small>Mã lỗi: {failure.code}</small>}
      style={style}
      role={role}
      closable={onClose !== undefined}
      onClose={onClose}
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

/** namedTable for a name known only when rendering; kept while `labelledBy` stays. */
export function useNamedTable(labelledBy: string) {
  return useMemo(() => namedTable(labelledBy), [labelledBy]);
}

/** The "Tải lại" button of a list. */
export function ReloadButton({ onClick }: { onClick: () => void }) {
  return (
    <Button
      icon={<ReloadOutlined aria-hidden="true" />}
      onClick={onClick}
      aria-label="Tải lại"
      title="Tải lại"
    />
  );
}

/** The options of a Select choosing a register, e.g. "Sổ văn bản đến (2026)". */
export function registerOptions(registers: Register[] | null) {
  return (registers ?? []).map((r) => ({ value: r.id, label: `${r.name} (${r.year})` }));
}

/**
 * Follows an answer of the API for an effect: `onAnswer` gets it, the session
 * lost is handled, `onError` gets any other error; nothing is called once the
 * returned function (the effect's cleanup) has run.
 */
export function follow<T>(
  answer: Promise<T>,
  onAnswer: (answer: T) => void,
  onSessionLost: () => void,
  onError: (e: unknown) => void,
): () => void {
  let live = true;
  answer
    .then((value) => {
      if (live) onAnswer(value);
    })
    .catch((e: unknown) => {
      if (!live) return;
      if (isSessionLost(e)) onSessionLost();
      else onError(e);
    });
  return () => {
    live = false;
  };
}

interface Loaded<T> {
  /** Null while loading (or, without `blank`, before the first answer). */
  data: T | null;
  failure: Failure;
  reload: () => void;
  clear: () => void;
}

/**
 * Data from the API, loaded again whenever `load` changes or reload() is called.
 * An answer that comes after the next load started is dropped; the session lost
 * is handled; any other error is kept as the failure and `failed` becomes the
 * data. With `blank`, the data goes back to null (loading) at each load.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  onSessionLost: () => void,
  failed: T,
  blank = false,
): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [failure, setFailure] = useState<Failure>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    if (blank) setData(null);
    setFailure(null);
    return follow(load(), setData, onSessionLost, (e) => {
      setFailure(errorText(e));
      setData(failed);
    });
  }, [load, reloads, onSessionLost, failed, blank]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  const clear = useCallback(() => setFailure(null), []);
  return { data, failure, reload, clear };
}

const NOTHING: never[] = [];

/** A list from the API: null while loading; reload() fetches it again. */
export function useList<T>(
  load: () => Promise<T[]>,
  onSessionLost: () => void,
  blank = false,
): { items: T[] | null; failure: Failure; reload: () => void; clear: () => void } {
  const { data, ...rest } = useLoad<T[]>(load, onSessionLost, NOTHING, blank);
  return { items: data, ...rest };
}

/**
 * Data a dialog needs, loaded the first time it is `wanted` and kept; after a
 * failure (given to `onFailure`) it is tried again when next wanted. Null until
 * loaded. `load` and `onFailure` should keep their identity between renders.
 */
export function useLoadWhen<T>(
  wanted: boolean,
  load: () => Promise<T>,
  onSessionLost: () => void,
  onFailure: (failure: NonNullable<Failure>) => void,
): T | null {
  const [data, setData] = useState<T | null>(null);

  useEffect(() => {
    if (!wanted || data !== null) return;
    return follow(load(), setData, onSessionLost, (e) => onFailure(errorText(e)));
  }, [wanted, data, load, onSessionLost, onFailure]);

  return data;
}

interface Stale {
  /** Answer codes meaning someone acted first: our copy is out of date. */
  codes: ReadonlySet<string>;
  /** Called after the warning is shown, e.g. to close the dialog and load again. */
  onStale: () => void;
}

/**
 * Runs one change against the API for a dialog: busy while it runs, the session
 * lost handled, a stale answer (see Stale) shown as a warning, any other error
 * kept to show in the dialog (or given to `onFailure` instead). attempt()
 * answers the change's value, or null when it failed; run() whether it succeeded.
 */
export function useChange(onSessionLost: () => void, stale?: Stale) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure>(null);
  const codes = stale?.codes;
  const onStale = stale?.onStale;

  const attempt = useCallback(
    async <T,>(
      change: () => Promise<T>,
      onFailure: (failure: NonNullable<Failure>) => void = setFailure,
    ): Promise<{ value: T } | null> => {
      setBusy(true);
      setFailure(null);
      try {
        const value = await change();
        setBusy(false);
        return { value };
      } catch (e) {
        setBusy(false);
        if (isSessionLost(e)) {
          onSessionLost();
        } else if (codes !== undefined && e instanceof ApiError && codes.has(e.code)) {
          // Someone acted first: what is shown goes once reloaded, so say why here.
          void message.warning(errorText(e).text);
          onStale?.();
        } else {
          onFailure(errorText(e));
        }
        return null;
      }
    },
    [onSessionLost, codes, onStale, message],
  );
  const run = useCallback(
    async (change: () => Promise<unknown>): Promise<boolean> => (await attempt(change)) !== null,
    [attempt],
  );
  const clear = useCallback(() => setFailure(null), []);
  return { busy, failure, attempt, run, clear, fail: setFailure };
}

/**
 * The props of a Modal that runs a change: "Hủy" to cancel, the OK button
 * loading while busy, and no closing (by "Hủy", Esc or the mask) until done.
 */
export function changeDialog(busy: boolean, onClose: () => void) {
  return {
    cancelText: 'Hủy',
    onCancel: () => {
      if (!busy) onClose();
    },
    confirmLoading: busy,
    maskClosable: !busy,
    destroyOnHidden: true,
  };
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
      {...changeDialog(busy, onClose)}
      onOk={() => form.submit()}
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
