// "Ý kiến xử lý": the thread of an assignment's participants and the leader who
// assigned it, in the order written, with a form to add one. Someone who takes
// no part in the assignment gets a 404 for it, and sees no thread at all.
import { App, Button, Card, Empty, Form, Input, Spin, Typography } from 'antd';
import { CommentOutlined } from '@ant-design/icons';
import { addComment, listComments } from '../api';
import { formatInstant } from '../format';
import { FailureAlert, useChange } from '../common';
import { useParticipantList } from './useParticipantList';

interface Props {
  documentId: number;
  /** A closed task takes no more comments. */
  closed: boolean;
  onSessionLost: () => void;
}

export const COMMENT_MAX = 2000;
const TITLE_ID = 'truc-comments-title';

export default function CommentThread({ documentId, closed, onSessionLost }: Props) {
  const { message } = App.useApp();
  const { list: thread, add } = useParticipantList(listComments, documentId, onSessionLost);
  const change = useChange(onSessionLost);
  const { busy, failure } = change;
  const [form] = Form.useForm<{ body: string }>();

  if (thread.kind === 'hidden') return null;

  const send = async (body: string) => {
    const answer = await change.attempt(() => addComment(documentId, body));
    if (answer === null) return;
    form.resetFields();
    add(answer.value);
    void message.success('Đã gửi ý kiến');
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
        <FailureAlert failure={thread} style={{}} />
      )}
      {thread.kind === 'loaded' &&
        (thread.items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Chưa có ý kiến nào" />
        ) : (
          <ol className="truc-comments" aria-label="Các ý kiến xử lý">
            {thread.items.map((comment) => (
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
          <FailureAlert failure={failure} />
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
