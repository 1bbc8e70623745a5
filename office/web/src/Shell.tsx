import { useState } from 'react';
import { Button, Grid, Layout, Menu, Typography } from 'antd';
import { HomeOutlined, LogoutOutlined } from '@ant-design/icons';
import { signOut, type Session } from './api';
import { roleName } from './i18n';
import Home from './Home';

interface Props {
  session: Session;
  onSignedOut: () => void;
}

export default function Shell({ session, onSignedOut }: Props) {
  const { user } = session;
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [collapsed, setCollapsed] = useState(false);
  const [leaving, setLeaving] = useState(false);

  const leave = async () => {
    setLeaving(true);
    try {
      await signOut();
    } catch {
      // The session may already be gone on the server; sign-in comes next anyway.
    }
    onSignedOut();
  };

  return (
    <Layout className="truc-shell">
      <Layout.Header className="truc-header">
        <div className="truc-header-brand">
          <span className="truc-brand-name">Trục</span>
          {!narrow && <span className="truc-header-sub">Văn phòng điện tử</span>}
        </div>
        <div className="truc-header-user">
          <div className="truc-header-who">
            <Typography.Text strong className="truc-header-name">
              {user.full_name}
            </Typography.Text>
            <Typography.Text className="truc-header-role">
              {roleName(user.role)} · {user.agency_name}
            </Typography.Text>
          </div>
          <Button
            icon={<LogoutOutlined />}
            onClick={() => void leave()}
            loading={leaving}
            aria-label="Đăng xuất"
          >
            {narrow ? null : 'Đăng xuất'}
          </Button>
        </div>
      </Layout.Header>
      <Layout>
        <Layout.Sider
          breakpoint="md"
          collapsedWidth={0}
          collapsed={collapsed}
          onCollapse={setCollapsed}
          theme="light"
          width={220}
          className="truc-sider"
        >
          <nav aria-label="Chức năng">
            <Menu
              mode="inline"
              selectedKeys={['home']}
              items={[{ key: 'home', icon: <HomeOutlined />, label: 'Trang chủ' }]}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content className="truc-content">
          <Home session={session} onSessionLost={onSignedOut} />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
