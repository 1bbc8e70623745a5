import { useEffect, useState } from 'react';
import { Button, Grid, Layout, Menu, Typography } from 'antd';
import { HomeOutlined, LogoutOutlined, MenuOutlined } from '@ant-design/icons';
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
  const [collapsed, setCollapsed] = useState(narrow);
  // On a phone the menu starts closed and floats over the content when opened.
  useEffect(() => setCollapsed(narrow), [narrow]);
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
          {narrow && (
            <Button
              className="truc-menu-toggle"
              icon={<MenuOutlined />}
              aria-label={collapsed ? 'Mở menu chức năng' : 'Đóng menu chức năng'}
              aria-expanded={!collapsed}
              aria-controls="truc-menu"
              onClick={() => setCollapsed(!collapsed)}
            />
          )}
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
          collapsedWidth={0}
          collapsed={collapsed}
          trigger={null}
          className={narrow ? 'truc-sider truc-sider-floating' : 'truc-sider'}
          theme="light"
          width={220}
          id="truc-menu"
        >
          <nav aria-label="Chức năng">
            <Menu
              mode="inline"
              selectedKeys={['home']}
              onClick={() => narrow && setCollapsed(true)}
              items={[{ key: 'home', icon: <HomeOutlined />, label: 'Trang chủ' }]}
            />
          </nav>
        </Layout.Sider>
        {narrow && !collapsed && (
          <div className="truc-backdrop" aria-hidden="true" onClick={() => setCollapsed(true)} />
        )}
        <Layout.Content className="truc-content">
          <Home session={session} onSessionLost={onSignedOut} />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
