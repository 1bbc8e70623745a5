// "Tệp dự thảo / hồ sơ xử lý": the working files the participants attach to a
// task. A file is sent first (POST /uploads), then attached by its id; a PDF
// opens in a new tab, an image downloads. Someone who takes no part in the
// assignment gets a 404 for it, and sees no card at all.
import { App, Button, Card, Empty, Spin, Typography, Upload } from 'antd';
import { DownloadOutlined, ExportOutlined, UploadOutlined } from '@ant-design/icons';
import { SCAN_TYPES, attachTaskFile, listTaskFiles, taskFileUrl, uploadFile } from '../api';
import { formatInstant, formatSize } from '../format';
import { FailureAlert, useChange } from '../common';
import { useParticipantList } from './useParticipantList';

interface Props {
  documentId: number;
  /** A closed task takes no more files. */
  closed: boolean;
  onSessionLost: () => void;
}

const TITLE_ID = 'truc-task-files-title';

export default function TaskFiles({ documentId, closed, onSessionLost }: Props) {
  const { message } = App.useApp();
  const { list: files, add } = useParticipantList(listTaskFiles, documentId, onSessionLost);
  const change = useChange(onSessionLost);
  const { busy, failure } = change;

  if (files.kind === 'hidden') return null;

  const send = async (file: File) => {
    const answer = await change.attempt(async () => {
      const upload = await uploadFile(file);
      return attachTaskFile(documentId, upload.id);
    });
    if (answer === null) return;
    add(answer.value);
    void message.success(`Đã đính kèm tệp ${answer.value.name}`);
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
        <FailureAlert failure={files} style={{}} />
      )}
      {files.kind === 'loaded' &&
        (files.items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Chưa có tệp nào" />
        ) : (
          <ol className="truc-comments" aria-label="Các tệp dự thảo, hồ sơ xử lý">
            {files.items.map((file) => {
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
      <FailureAlert failure={failure} style={{ marginTop: 16 }} />
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
