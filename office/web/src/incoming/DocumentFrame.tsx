// Loading one document and the frame around it (the back button, the actions,
// the title, the loading, not-found and failure states), shared by the
// incoming detail page and a task's page.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Result, Spin, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { ApiError, isSessionLost } from '../api';
import { errorText } from '../i18n';

export type Load<D> =
  | { kind: 'loading' }
  | { kind: 'loaded'; document: D }
  | { kind: 'not-found' }
  | { kind: 'failed'; text: string; code: string };

/**
 * The document `fetch` answers for `id`, a way to replace it with what an
 * action answered, and a way to load it again (quietly: the page keeps showing
 * the copy it has until the new one comes).
 */
export function useDocument<D>(
  fetch: (id: number) => Promise<D>,
  id: number,
  onSessionLost: () => void,
): { load: Load<D>; setDocument: (document: D) => void; reload: () => void } {
  const [load, setLoad] = useState<Load<D>>({ kind: 'loading' });
  const [reloads, setReloads] = useState(0);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  const setDocument = useCallback((document: D) => setLoad({ kind: 'loaded', document }), []);

  useEffect(() => {
    let live = true;
    fetch(id)
      .then((document) => {
        if (live) setLoad({ kind: 'loaded', document });
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (isSessionLost(e)) {
          onSessionLost();
          return;
        }
        if (e instanceof ApiError && (e.code === 'incoming.not_found' || e.status === 404)) {
          setLoad({ kind: 'not-found' });
          return;
        }
        setLoad({ kind: 'failed', ...errorText(e) });
      });
    return () => {
      live = false;
    };
  }, [fetch, id, reloads, onSessionLost]);

  return { load, setDocument, reload };
}

interface FrameProps<D> {
  title: string;
  load: Load<D>;
  onBack: () => void;
  onRetry: () => void;
  /** The buttons beside "Quay lại" for the loaded document, if any. */
  actions?: (document: D) => React.ReactNode;
  children: (document: D) => React.ReactNode;
}

export default function DocumentFrame<D>({
  title,
  load,
  onBack,
  onRetry,
  actions,
  children,
}: FrameProps<D>) {
  const back = (
    <Button icon={<ArrowLeftOutlined aria-hidden="true" />} onClick={onBack}>
      Quay lại
    </Button>
  );

  return (
    <div className="truc-page">
      <div className="truc-detail-bar">
        {back}
        {load.kind === 'loaded' && actions?.(load.document)}
      </div>
      <Typography.Title level={2} className="truc-page-title">
        {title}
      </Typography.Title>
      {load.kind === 'loading' && (
        <div className="truc-centre-block">
          <Spin size="large" tip="Đang tải…">
            <div style={{ width: 120, height: 80 }} />
          </Spin>
        </div>
      )}
      {load.kind === 'not-found' && (
        <Result status="404" title="Không tìm thấy văn bản" extra={back} />
      )}
      {load.kind === 'failed' && (
        <Alert
          type="error"
          showIcon
          message={load.text}
          description={<small>Mã lỗi: {load.code}</small>}
          action={
            <Button size="small" onClick={onRetry}>
              Thử lại
            </Button>
          }
        />
      )}
      {load.kind === 'loaded' && children(load.document)}
    </div>
  );
}
