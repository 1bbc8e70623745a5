// "Tệp dự thảo / hồ sơ xử lý": the working files the participants attach to a
// task. A file is sent first (POST /uploads), then attached by its id; a PDF
// opens in a new tab, an image downloads. Someone who takes no part in the
// assignment gets a 404 for it, and sees no card at all.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Empty, Spin, Typography, Upload } from 'antd';
import { DownloadOutlined, ExportOutlined, UploadOutlined } from '@ant-design/icons';
import {
  ApiError,
  SCAN_TYPES,
  attachTaskFile,
  isSessionLost,
  listTaskFiles,
  taskFileUrl,
  uploadFile,
  type TaskFile,
} from '../api';
import { errorText } from '../i18n';
import { formatInstant, formatSize } from '../format';

interface Props {
  documentId: number;
  /** A closed task takes no more files. */
  closed: boolean;
  onSessionLost: () => void;
}

type Files =
  | { kind: 'loading' }
  | { kind: 'loaded'; files: TaskFile[] }
  | { kind: 'hidden' }
  | { kind: 'failed'; text: string; code: string };

const TITLE_ID = 'truc-task-files-title';

export default function TaskFiles({ documentId, closed, onSessionLost }: Props) {
  const { message } = App.useApp();
  const [files, setFiles] = useState<Files>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ text: string; code: string } | null>(null);

  useEffect(() => {
    let live = true;
    listTaskFiles(documentId)
      .then((items) => {
        if (live) setFiles({ kind: 'loaded', files: items });
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (isSessionLost(e)) {
          onSessionLost();
          return;
        }
        if (e instanceof ApiError && e.status === 404) {
          setFiles({ kind: 'hidden' });
          return;
        }
        setFiles({ kind: 'failed', ...errorText(e) });
      });
    return () => {
      live = false;
    };
  }, [documentId, onSessionLost]);

  if (files.kind === 'hidden') return null;

  const send = async (file: File) => {
    setBusy(true);
    setFailure(null);
    try {
      const upload = await uploadFile(file);
      const attached = await attachTaskFile(documentId, upload.id);
      setBusy(false);
      setFiles((current) =>
        current.kind === 'loaded'
          ? { kind: 'loaded', files: [...current.files, attached] }
          : current,
      );
      void message.success(`Đã đính kèm tệp ${attached.name}`);
    } catch (e) {
      setBusy(false);
      if (isSessionLost(e)) {
        onSessionLost();
        return;
      }
      setFailure(errorText(e));
    }
  };

  return (
    <Card
      title={<span id={TITLE_ID}>Tệp dự thảo / hồ sơ xử lý</span>}
      className="truc-card"
      role="region"
      aria-labelledby={TITLE_ID}
    >
      {files.kind === 'loading' && <Spin aria-label="Đang tải danh sách tệp" />}
      {files.kind === 'failed' && (
        <Alert
          type="error"
          showIcon
          message={files.text}
          description={<small>Mã lỗi: {files.code}</small>}
        />
      )}
      {files.kind === 'loaded' &&
        (files.files.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Chưa có tệp nào" />
        ) : (
          <ol className="truc-comments" aria-label="Các tệp dự thảo, hồ sơ xử lý">
            {files.files.map((file) => {
              const pdf = file.content_type === 'application/pdf';
              return (
                <li key={file.id}>
                  <Typography.Link
                    href={taskFileUrl(documentId, file.id)}
                    target={pdf ? '_blank' : undefined}
                    rel="noopener"
                    download={pdf ? undefined : file.name}
                    aria-label={`${pdf ? 'Mở' : 'Tải xuống'} tệp ${file.name}`}
                  >
                    {pdf ? (
                      <ExportOutlined aria-hidden="true" />
                    ) : (
                      <DownloadOutlined aria-hidden="true" />
                    )}{' '}
                    {file.name}
                  </Typography.Link>
                  <div>
                    <Typography.Text type="secondary">
                      {formatSize(file.size)} · {file.added_by.full_name} ·{' '}
                      {formatInstant(file.added_at)}
                    </Typography.Text>
                  </div>
                </li>
              );
            })}
          </ol>
        ))}
      {failure !== null && (
        <Alert
          type="error"
          showIcon
          message={failure.text}
          description={<small>Mã lỗi: {failure.code}</small>}
          style={{ marginTop: 16 }}
        />
      )}
      {files.kind === 'loaded' && !closed && (
        <div style={{ marginTop: 16 }}>
          <Upload
            accept={SCAN_TYPES.join(',')}
            showUploadList={false}
            disabled={busy}
            beforeUpload={(file) => {
              void send(file);
              // The file is sent by send(), not by the Upload component.
              return false;
            }}
          >
            <Button icon={<UploadOutlined aria-hidden="true" />} loading={busy}>
              Tải tệp lên
            </Button>
          </Upload>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            Tệp PDF, JPEG hoặc PNG.
          </Typography.Paragraph>
        </div>
      )}
    </Card>
  );
}
