// "Ý kiến xử lý": the thread of an assignment's participants and the leader who
// assigned it, in the order written, with a form to add one. Someone who takes
// no part in the assignment gets a 404 for it, and sees no thread at all.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Input, Spin, Typography } from 'antd';
import { CommentOutlined } from '@ant-design/icons';
import { ApiError, addComment, isSessionLost, listComments, type Comment } from '../api';
import { errorText } from '../i18n';
import { formatInstant } from '../format';

interface Props {
  documentId: number;
  /** A closed task takes no more comments. */
  closed: boolean;
  onSessionLost: () => void;
}

type Thread =
  | { kind: 'loading' }
  | { kind: 'loaded'; comments: Comment[] }
  | { kind: 'hidden' }
  | { kind: 'failed'; text: string; code: string };

export const COMMENT_MAX = 2000;
const TITLE_ID = 'truc-comments-title';

export default function CommentThread({ documentId, closed, onSessionLost }: Props) {
  const { message } = App.useApp();
  const [thread, setThread] = useState<Thread>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ text: string; code: string } | null>(null);
  const [form] = Form.useForm<{ body: string }>();

  useEffect(() => {
    let live = true;
    listComments(documentId)
      .then((comments) => {
        if (live) setThread({ kind: 'loaded', comments });
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (isSessionLost(e)) {
          onSessionLost();
          return;
        }
        if (e instanceof ApiError && e.status === 404) {
          setThread({ kind: 'hidden' });
          return;
        }
        setThread({ kind: 'failed', ...errorText(e) });
      });
    return () => {
      live = false;
    };
  }, [documentId, onSessionLost]);

  if (thread.kind === 'hidden') return null;

  const send = async (body: string) => {
    setBusy(true);
    setFailure(null);
    try {
      const written = await addComment(documentId, body);
      setBusy(false);
      form.resetFields();
      setThread((current) =>
        current.kind === 'loaded'
          ? { kind: 'loaded', comments: [...current.comments, written] }
          : current,
      );
      void message.success('Đã gửi ý kiến');
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
      title={<span id={TITLE_ID}>Ý kiến xử lý</span>}
      className="truc-card"
      role="region"
      aria-labelledby={TITLE_ID}
    >
      {thread.kind === 'loading' && <Spin aria-label="Đang tải ý kiến xử lý" />}
      {thread.kind === 'failed' && (
        <Alert
          type="error"
          showIcon
          message={thread.text}
          description={<small>Mã lỗi: {thread.code}</small>}
        />
      )}
      {thread.kind === 'loaded' &&
        (thread.comments.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Chưa có ý kiến nào" />
        ) : (
          <ol className="truc-comments" aria-label="Các ý kiến xử lý">
            {thread.comments.map((comment) => (
              <li key={comment.id}>
                <Typography.Text strong>{comment.author.full_name}</Typography.Text>
                {comment.author.department !== '' && (
                  <Typography.Text type="secondary">
                    {' — '}
                    {comment.author.department}
                  </Typography.Text>
                )}
                <Typography.Text type="secondary">
                  {' · '}
                  {formatInstant(comment.written_at)}
                </Typography.Text>
                <div className="truc-written">{comment.body}</div>
              </li>
            ))}
          </ol>
        ))}
      {thread.kind === 'loaded' && !closed && (
        <Form
          form={form}
          name="task-comment"
          layout="vertical"
          requiredMark={false}
          disabled={busy}
          onFinish={(fields) => void send(fields.body.trim())}
          style={{ marginTop: 16 }}
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
          <Form.Item
            label="Ý kiến của bạn"
            name="body"
            rules={[
              { required: true, whitespace: true, message: 'Vui lòng nhập ý kiến.' },
              { max: COMMENT_MAX, message: `Ý kiến không quá ${COMMENT_MAX} ký tự.` },
            ]}
          >
            <Input.TextArea rows={3} maxLength={COMMENT_MAX} showCount />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={busy}
            icon={<CommentOutlined aria-hidden="true" />}
          >
            Gửi ý kiến
          </Button>
        </Form>
      )}
    </Card>
  );
}
