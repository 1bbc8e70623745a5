import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { signIn, type Session } from './api';
import { errorText } from './i18n';

interface Props {
  /** Why the user is here again, e.g. the session expired. */
  notice?: string;
  onSignedIn: (session: Session) => void;
}

interface Fields {
  username: string;
  password: string;
}

export default function SignIn({ notice, onSignedIn }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; code: string; known: boolean } | null>(
    null,
  );

  const submit = async (fields: Fields) => {
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(fields.username.trim(), fields.password));
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <main className="truc-signin">
      <Card className="truc-signin-card">
        <div className="truc-brand">
          <Typography.Text className="truc-brand-name">Trục</Typography.Text>
          <Typography.Text type="secondary">Văn phòng điện tử</Typography.Text>
        </div>
        <Typography.Title level={1} className="truc-signin-title">
          Đăng nhập
        </Typography.Title>
        {error === null && notice !== undefined && (
          <Alert type="warning" showIcon className="truc-signin-error" message={notice} />
        )}
        {error !== null && (
          <Alert
            type="error"
            showIcon
            className="truc-signin-error"
            message={error.text}
            description={error.known ? undefined : <small>Mã lỗi: {error.code}</small>}
          />
        )}
        <Form<Fields>
          name="signin"
          layout="vertical"
          requiredMark={false}
          onFinish={(fields) => void submit(fields)}
          disabled={busy}
        >
          <Form.Item
            label="Tên đăng nhập"
            name="username"
            rules={[{ required: true, whitespace: true, message: 'Vui lòng nhập tên đăng nhập.' }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item
            label="Mật khẩu"
            name="password"
            rules={[{ required: true, message: 'Vui lòng nhập mật khẩu.' }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              size="large"
            />
          </Form.Item>
          <Form.Item style={{ marginBottom: 0 }}>
            <Button type="primary" htmlType="submit" block size="large" loading={busy}>
              Đăng nhập
            </Button>
          </Form.Item>
        </Form>
      </Card>
    </main>
  );
}
