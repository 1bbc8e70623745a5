// Người dùng: the agency's accounts, for its admin (view_users; changes need
// manage_users). The password is set here and given to the person out of band.
import { useState } from 'react';
import { App, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, KeyOutlined, UnlockOutlined, UserAddOutlined } from '@ant-design/icons';
import {
  createUser,
  isSessionLost,
  listDepartments,
  listUsers,
  resetPassword,
  unlockUser,
  updateUser,
  type Department,
  type NewUserAccount,
  type UserAccount,
  type UserChange,
} from '../api';
import { errorText, roleName } from '../i18n';
import { FailureAlert, namedTable, ReloadButton, useChange, useList } from '../common';
import { AddUserDialog, EditUserDialog, PasswordDialog } from './UserDialogs';

const TITLE_ID = 'truc-users-title';
const UsersTable = namedTable(TITLE_ID);

interface Props {
  /** The admin's own username: they cannot lock themselves out. */
  self: string;
  canManage: boolean;
  onSessionLost: () => void;
}

type Dialog =
  | { kind: 'add' }
  | { kind: 'edit'; user: UserAccount }
  | { kind: 'password'; user: UserAccount }
  | null;

function StateTags({ user }: { user: UserAccount }) {
  return (
    <Space size={[4, 4]} wrap>
      {user.active ? (
        <Tag color="green">Đang hoạt động</Tag>
      ) : (
        <Tag color="default">Đã khóa tài khoản</Tag>
      )}
      {user.locked && <Tag color="orange">Tạm khóa đăng nhập</Tag>}
    </Space>
  );
}

export default function UsersPage({ self, canManage, onSessionLost }: Props) {
  const { message } = App.useApp();
  const users = useList(listUsers, onSessionLost);
  const departments = useList<Department>(listDepartments, onSessionLost);
  const change = useChange(onSessionLost);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [unlocking, setUnlocking] = useState<string | null>(null);

  const open = (next: Dialog) => {
    change.clear();
    // Departments may have been added on the catalogue page meanwhile.
    if (next !== null && next.kind !== 'password') departments.reload();
    setDialog(next);
  };
  const close = () => setDialog(null);

  const save = async (send: () => Promise<unknown>, done: string) => {
    if (!(await change.run(send))) return;
    void message.success(done);
    setDialog(null);
    users.reload();
  };

  const add = (user: NewUserAccount) =>
    void save(() => createUser(user), `Đã thêm người dùng ${user.username}.`);
  const edit = (username: string, fields: UserChange) =>
    void save(() => updateUser(username, fields), `Đã lưu thông tin người dùng ${username}.`);
  const setPassword = (username: string, password: string) =>
    void save(
      () => resetPassword(username, password),
      `Đã đặt lại mật khẩu cho người dùng ${username}.`,
    );

  const unlock = async (user: UserAccount) => {
    setUnlocking(user.username);
    try {
      await unlockUser(user.username);
      void message.success(`Đã mở khóa đăng nhập cho người dùng ${user.username}.`);
      users.reload();
    } catch (e) {
      if (isSessionLost(e)) onSessionLost();
      else void message.error(errorText(e).text);
    } finally {
      setUnlocking(null);
    }
  };

  const columns: TableColumnsType<UserAccount> = [
    { title: 'Tên đăng nhập', dataIndex: 'username', key: 'username' },
    { title: 'Họ và tên', dataIndex: 'full_name', key: 'full_name' },
    {
      title: 'Vai trò',
      dataIndex: 'role',
      key: 'role',
      render: (role: string) => roleName(role),
    },
    {
      title: 'Phòng ban',
      dataIndex: 'department',
      key: 'department',
      render: (department: string) =>
        department === '' ? (
          <Typography.Text type="secondary" aria-label="Không thuộc phòng ban">
            —
          </Typography.Text>
        ) : (
          department
        ),
    },
    {
      title: 'Trạng thái',
      key: 'state',
      render: (_: unknown, user: UserAccount) => <StateTags user={user} />,
    },
    ...(canManage
      ? [
          {
            title: 'Thao tác',
            key: 'actions',
            width: 230,
            render: (_: unknown, user: UserAccount) => (
              <Space size={[4, 4]} wrap>
                <Button
                  size="small"
                  icon={<EditOutlined aria-hidden="true" />}
                  aria-label={`Sửa người dùng ${user.username}`}
                  onClick={() => open({ kind: 'edit', user })}
                >
                  Sửa
                </Button>
                {user.locked && (
                  <Button
                    size="small"
                    icon={<UnlockOutlined aria-hidden="true" />}
                    aria-label={`Mở khóa đăng nhập cho ${user.username}`}
                    loading={unlocking === user.username}
                    onClick={() => void unlock(user)}
                  >
                    Mở khóa đăng nhập
                  </Button>
                )}
                <Button
                  size="small"
                  icon={<KeyOutlined aria-hidden="true" />}
                  aria-label={`Đặt lại mật khẩu cho ${user.username}`}
                  onClick={() => open({ kind: 'password', user })}
                >
                  Đặt lại mật khẩu
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <div className="truc-page truc-page-wide">
      <Typography.Title level={2} className="truc-page-title" id={TITLE_ID}>
        Người dùng
      </Typography.Title>
      <Card className="truc-card">
        <div className="truc-toolbar">
          <Typography.Text type="secondary">
            Tài khoản của cơ quan. Tài khoản đã khóa không đăng nhập được và không được giao việc.
          </Typography.Text>
          <Space>
            <ReloadButton onClick={users.reload} />
            {canManage && (
              <Button
                type="primary"
                icon={<UserAddOutlined aria-hidden="true" />}
                onClick={() => open({ kind: 'add' })}
              >
                Thêm người dùng
              </Button>
            )}
          </Space>
        </div>
        <FailureAlert failure={users.failure} />
        <Table<UserAccount>
          rowKey="username"
          columns={columns}
          dataSource={users.items ?? []}
          loading={users.items === null}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          size="middle"
          // Wide enough for every column; on a wide screen the action buttons wrap instead.
          scroll={{ x: 960 }}
          components={{ table: UsersTable }}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Chưa có người dùng nào" />
            ),
          }}
        />
      </Card>
      <AddUserDialog
        open={dialog?.kind === 'add'}
        departments={departments.items}
        onSave={add}
        busy={change.busy}
        failure={change.failure}
        onClose={close}
      />
      <EditUserDialog
        user={dialog?.kind === 'edit' ? dialog.user : null}
        isSelf={dialog?.kind === 'edit' && dialog.user.username === self}
        departments={departments.items}
        onSave={(fields) => {
          if (dialog?.kind === 'edit') edit(dialog.user.username, fields);
        }}
        busy={change.busy}
        failure={change.failure}
        onClose={close}
      />
      <PasswordDialog
        user={dialog?.kind === 'password' ? dialog.user : null}
        onSave={(password) => {
          if (dialog?.kind === 'password') setPassword(dialog.user.username, password);
        }}
        busy={change.busy}
        failure={change.failure}
        onClose={close}
      />
    </div>
  );
}
