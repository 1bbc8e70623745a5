import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Grid, Layout, Menu, Result, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  BarChartOutlined,
  AppstoreOutlined,
  CarryOutOutlined,
  FieldTimeOutlined,
  HomeOutlined,
  InboxOutlined,
  LogoutOutlined,
  MenuOutlined,
  UserSwitchOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { signOut, type Session } from './api';
import { roleName } from './i18n';
import { formatDate } from './format';
import { may } from './authorization';
import { useRoute, type Route } from './route';
import Home from './Home';
import IncomingList from './incoming/IncomingList';
import IncomingDetailPage from './incoming/IncomingDetailPage';
import PaperRegistration from './incoming/PaperRegistration';
import TaskList from './processing/TaskList';
import TaskDetailPage from './processing/TaskDetailPage';
import DeadlinesPage from './oversight/DeadlinesPage';
import ProgressPage from './oversight/ProgressPage';
import DelegationsPage from './oversight/DelegationsPage';
import { useReminders } from './oversight/useReminders';
import UsersPage from './admin/UsersPage';
import CataloguesPage from './admin/CataloguesPage';

interface Props {
  session: Session;
  onSignedOut: () => void;
  /** The server no longer knows the session (401): back to sign-in, saying why. */
  onSessionLost: () => void;
}

export default function Shell({ session, onSignedOut, onSessionLost }: Props) {
  const { user } = session;
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [collapsed, setCollapsed] = useState(narrow);
  // On a phone the menu starts closed and floats over the content when opened.
  useEffect(() => setCollapsed(narrow), [narrow]);
  const [leaving, setLeaving] = useState(false);
  const [route, go] = useRoute();
  // "Quay lại" on a document returns to the list as it was (filter and search).
  const lastList = useRef<Route>({ page: 'incoming', filter: 'new', q: '' });
  if (route.page === 'incoming') lastList.current = route;
  const lastTasks = useRef<Route>({ page: 'tasks', filter: 'open' });
  if (route.page === 'tasks') lastTasks.current = route;
  const readsIncoming = may(session, 'view_incoming');
  const handlesTasks = may(session, 'handle_tasks');
  const followsDeadlines = may(session, 'view_deadlines');
  const followsProgress = may(session, 'view_progress');
  const delegates = may(session, 'delegate_powers');
  const reminders = useReminders(route.page, onSessionLost);
  const ownUrgent = reminders === null ? 0 : reminders.overdue + reminders.due_soon;
  const scopeOverdue = reminders?.scope_overdue ?? 0;
  // A menu label with a count beside it, read out with what it counts.
  const counted = (label: string, value: number, what: string) => (
    <span className="truc-menu-counted">
      {label}
      {value > 0 && (
        <Badge count={value} overflowCount={99} aria-label={`${value} ${what}`} title={what} />
      )}
    </span>
  );
  const viewsUsers = may(session, 'view_users');
  const viewsCatalogues = may(session, 'view_catalogues');

  const menuItems: MenuProps['items'] = [
    { key: 'home', icon: <HomeOutlined aria-hidden="true" />, label: 'Trang chủ' },
    ...(readsIncoming
      ? [{ key: 'incoming', icon: <InboxOutlined aria-hidden="true" />, label: 'Văn bản đến' }]
      : []),
    ...(handlesTasks
      ? [
          {
            key: 'tasks',
            icon: <CarryOutOutlined aria-hidden="true" />,
            label: counted('Việc của tôi', ownUrgent, 'việc quá hạn hoặc sắp đến hạn'),
          },
        ]
      : []),
    ...(followsDeadlines
      ? [
          {
            key: 'deadlines',
            icon: <FieldTimeOutlined aria-hidden="true" />,
            label: counted('Đôn đốc hạn xử lý', scopeOverdue, 'văn bản quá hạn'),
          },
        ]
      : []),
    ...(followsProgress
      ? [{ key: 'progress', icon: <BarChartOutlined aria-hidden="true" />, label: 'Theo dõi tiến độ' }]
      : []),
    ...(delegates
      ? [{ key: 'delegations', icon: <UserSwitchOutlined aria-hidden="true" />, label: 'Ủy quyền' }]
      : []),
    ...(viewsUsers
      ? [{ key: 'users', icon: <TeamOutlined aria-hidden="true" />, label: 'Người dùng' }]
      : []),
    ...(viewsCatalogues
      ? [{ key: 'catalogues', icon: <AppstoreOutlined aria-hidden="true" />, label: 'Danh mục' }]
      : []),
  ];
  const selected =
    route.page === 'incoming' || route.page === 'incoming-detail' || route.page === 'incoming-paper'
      ? 'incoming'
      : route.page === 'tasks' || route.page === 'task-detail'
        ? 'tasks'
        : route.page === 'deadlines' ||
            route.page === 'progress' ||
            route.page === 'delegations' ||
            route.page === 'users' ||
            route.page === 'catalogues'
          ? route.page
          : 'home';
  const navigate: MenuProps['onClick'] = ({ key }) => {
    if (narrow) setCollapsed(true);
    if (key === 'incoming') go(lastList.current);
    else if (key === 'tasks') go(lastTasks.current);
    else if (key === 'deadlines') go({ page: 'deadlines', filter: 'overdue' });
    else if (key === 'progress') go({ page: 'progress', department: null });
    else if (key === 'delegations') go({ page: 'delegations' });
    else if (key === 'users') go({ page: 'users' });
    else if (key === 'catalogues') go({ page: 'catalogues', tab: 'document-types' });
    else go({ page: 'home' });
  };

  const leave = async () => {
    setLeaving(true);
    try {
      await signOut();
    } catch {
      // The session may already be gone on the server; sign-in comes next anyway.
    }
    onSignedOut();
  };

  function content() {
    const forbidden = <Result status="403" title="Bạn không có quyền xem văn bản đến." />;
    const noTasks = <Result status="403" title="Bạn không có quyền xem việc được giao." />;
    switch (route.page) {
      case 'home':
        return (
          <Home
            session={session}
            reminders={reminders}
            onOpenDeadlines={() => go({ page: 'deadlines', filter: 'overdue' })}
          />
        );
      case 'incoming':
        if (!readsIncoming) return forbidden;
        return (
          <IncomingList
            filter={route.filter}
            q={route.q}
            onQuery={(filter, q) => go({ page: 'incoming', filter, q })}
            onOpen={(id) => go({ page: 'incoming-detail', id })}
            onRegisterPaper={
              may(session, 'decide_incoming') ? () => go({ page: 'incoming-paper' }) : undefined
            }
            onSessionLost={onSessionLost}
          />
        );
      case 'incoming-paper':
        if (!may(session, 'decide_incoming')) {
          return <Result status="403" title="Bạn không có quyền vào sổ văn bản đến." />;
        }
        return (
          <PaperRegistration
            onRegistered={(id) => go({ page: 'incoming-detail', id })}
            onCancel={() => go(lastList.current)}
            onSessionLost={onSessionLost}
          />
        );
      case 'incoming-detail':
        if (!readsIncoming) return forbidden;
        return (
          <IncomingDetailPage
            key={route.id}
            id={route.id}
            canAct={may(session, 'decide_incoming')}
            canAssign={may(session, 'assign_incoming')}
            canDiscuss={may(session, 'discuss_tasks')}
            onBack={() => go(lastList.current)}
            onSessionLost={onSessionLost}
          />
        );
      case 'tasks':
        if (!handlesTasks) return noTasks;
        return (
          <TaskList
            filter={route.filter}
            onFilter={(filter) => go({ page: 'tasks', filter })}
            onOpen={(id) => go({ page: 'task-detail', id })}
            onSessionLost={onSessionLost}
          />
        );
      case 'task-detail':
        if (!handlesTasks) return noTasks;
        return (
          <TaskDetailPage
            key={route.id}
            id={route.id}
            username={user.username}
            headOf={user.role === 'head' && user.department !== '' ? user.department : null}
            onBack={() => go(lastTasks.current)}
            onSessionLost={onSessionLost}
          />
        );
      case 'deadlines':
        if (!followsDeadlines) return <Result status="403" title="Bạn không có quyền xem mục này." />;
        return (
          <DeadlinesPage
            filter={route.filter}
            canOpen={readsIncoming}
            onFilter={(filter) => go({ page: 'deadlines', filter })}
            onSessionLost={onSessionLost}
          />
        );
      case 'progress':
        if (!followsProgress) return <Result status="403" title="Bạn không có quyền xem mục này." />;
        return (
          <ProgressPage
            department={route.department}
            canOpen={readsIncoming}
            onDepartment={(department) => go({ page: 'progress', department })}
            onSessionLost={onSessionLost}
          />
        );
      case 'delegations':
        if (!delegates) return <Result status="403" title="Bạn không có quyền ủy quyền." />;
        return <DelegationsPage onSessionLost={onSessionLost} />;
      case 'users':
        if (!viewsUsers) return <Result status="403" title="Bạn không có quyền xem người dùng." />;
        return (
          <UsersPage
            self={user.username}
            canManage={may(session, 'manage_users')}
            onSessionLost={onSessionLost}
          />
        );
      case 'catalogues':
        if (!viewsCatalogues) {
          return <Result status="403" title="Bạn không có quyền xem danh mục." />;
        }
        return (
          <CataloguesPage
            tab={route.tab}
            onTab={(tab) => go({ page: 'catalogues', tab })}
            canEdit={may(session, 'edit_catalogues')}
            onSessionLost={onSessionLost}
          />
        );
      case 'not-found':
        return (
          <Result
            status="404"
            title="Không tìm thấy trang"
            extra={
              <Button type="primary" onClick={() => go({ page: 'home' })}>
                Về trang chủ
              </Button>
            }
          />
        );
    }
  }

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
              selectedKeys={[selected]}
              onClick={navigate}
              items={menuItems}
            />
          </nav>
        </Layout.Sider>
        {narrow && !collapsed && (
          <div className="truc-backdrop" aria-hidden="true" onClick={() => setCollapsed(true)} />
        )}
        <Layout.Content className="truc-content">
          {session.delegation !== null && (
            <Alert
              type="info"
              showIcon
              className="truc-delegation-notice"
              message={`Bạn đang được ủy quyền bởi ${session.delegation.delegator.full_name} đến hết ngày ${formatDate(session.delegation.ends_on)}.`}
              description="Các thao tác thực hiện theo ủy quyền được ghi nhật ký kèm tên người ủy quyền."
            />
          )}
          {content()}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
