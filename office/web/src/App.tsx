import { useCallback, useEffect, useState } from 'react';
import { Button, Result, Spin } from 'antd';
import { getSession, type Session } from './api';
import { errorText, SESSION_LOST_TEXT } from './i18n';
import SignIn from './SignIn';
import Shell from './Shell';

type State =
  | { kind: 'loading' }
  | { kind: 'signed-out'; notice?: string }
  | { kind: 'signed-in'; session: Session }
  | { kind: 'unreachable'; code: string; text: string };

export default function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const load = useCallback(async () => {
    setState({ kind: 'loading' });
    try {
      const session = await getSession();
      setState(session === null ? { kind: 'signed-out' } : { kind: 'signed-in', session });
    } catch (e) {
      const { text, code } = errorText(e);
      setState({ kind: 'unreachable', code, text });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  // Stable, so pages that load data on mount do not load again on every render.
  const signedOut = useCallback(() => setState({ kind: 'signed-out' }), []);
  const sessionLost = useCallback(
    () => setState({ kind: 'signed-out', notice: SESSION_LOST_TEXT }),
    [],
  );

  switch (state.kind) {
    case 'loading':
      return (
        <div className="truc-centre">
          <Spin size="large" tip="Đang tải…">
            <div style={{ width: 120, height: 80 }} />
          </Spin>
        </div>
      );
    case 'unreachable':
      return (
        <div className="truc-centre">
          <Result
            status="warning"
            title={state.text}
            subTitle={<small>Mã lỗi: {state.code}</small>}
            extra={
              <Button type="primary" onClick={() => void load()}>
                Thử lại
              </Button>
            }
          />
        </div>
      );
    case 'signed-out':
      return (
        <SignIn
          notice={state.notice}
          onSignedIn={(session) => setState({ kind: 'signed-in', session })}
        />
      );
    case 'signed-in':
      return (
        <Shell
          session={state.session}
          onSignedOut={signedOut}
          onSessionLost={sessionLost}
        />
      );
  }
}
