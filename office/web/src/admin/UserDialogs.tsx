// The dialogs of the user page: add an account, edit one, set a new password.
import { Form, Input, Modal, Select, Switch, Typography } from 'antd';
import type { Department, NewUserAccount, Role, UserAccount, UserChange } from '../api';
import { ROLE_OPTIONS } from '../i18n';
import { changeDialog, FailureAlert, type Failure } from '../common';

/** The server's rules (office/src/accounts.cpp, passwords.cpp), checked here first. */
const USERNAME_PATTERN = /^[a-z0-9._-]{3,64}$/;
const FULL_NAME_MAX = 50;
const PASSWORD_MIN = 10;

interface DialogProps {
  busy: boolean;
  failure: Failure;
  onClose: () => void;
}

function departmentOptions(departments: Department[] | null, current = '') {
  const names = (departments ?? []).map((d) => d.name);
  // A department renamed meanwhile still shows as the account has it.
  if (current !== '' && !names.includes(current)) names.unshift(current);
  return names.map((name) => ({ value: name, label: name }));
}

function DepartmentField({
  departments,
  current,
}: {
  departments: Department[] | null;
  current?: string;
}) {
  return (
    <Form.Item
      label="Phòng ban"
      name="department"
      extra="Để trống nếu người dùng không thuộc phòng ban nào."
    >
      <Select
        allowClear
        showSearch
        loading={departments === null}
        placeholder="Không thuộc phòng ban"
        options={departmentOptions(departments, current)}
        notFoundContent="Chưa có phòng ban. Thêm phòng ban ở trang Danh mục."
      />
    </Form.Item>
  );
}

const fullNameRules = [
  { required: true, whitespace: true, message: 'Vui lòng nhập họ và tên.' },
  { max: FULL_NAME_MAX, message: `Họ và tên có tối đa ${FULL_NAME_MAX} ký tự.` },
];

const roleRules = [{ required: true, message: 'Vui lòng chọn vai trò.' }];

/** A password and its confirmation, with the server's minimum length. */
function PasswordFields({ label }: { label: string }) {
  return (
    <>
      <Form.Item
        label={label}
        name="password"
        extra={`Ít nhất ${PASSWORD_MIN} ký tự. Giao mật khẩu cho người dùng qua kênh riêng.`}
        rules={[
          { required: true, message: 'Vui lòng nhập mật khẩu.' },
          {
            validator: (_, value: string | undefined) =>
              value === undefined || value === '' || [...value].length >= PASSWORD_MIN
                ? Promise.resolve()
                : Promise.reject(new Error(`Mật khẩu phải có ít nhất ${PASSWORD_MIN} ký tự.`)),
          },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label="Nhập lại mật khẩu"
        name="confirm"
        dependencies={['password']}
        rules={[
          { required: true, message: 'Vui lòng nhập lại mật khẩu.' },
          ({ getFieldValue }) => ({
            validator: (_, value: string | undefined) =>
              value === undefined || value === '' || value === getFieldValue('password')
                ? Promise.resolve()
                : Promise.reject(new Error('Hai mật khẩu chưa khớp nhau.')),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}

type NewFields = {
  username: string;
  full_name: string;
  role: Role;
  department?: string;
  password: string;
  confirm: string;
};

export function AddUserDialog({
  open,
  departments,
  onSave,
  busy,
  failure,
  onClose,
}: DialogProps & {
  open: boolean;
  departments: Department[] | null;
  onSave: (user: NewUserAccount) => void;
}) {
  const [form] = Form.useForm<NewFields>();
  return (
    <Modal
      title="Thêm người dùng"
      open={open}
      okText="Thêm"
      {...changeDialog(busy, onClose)}
      onOk={() => form.submit()}
    >
      <FailureAlert failure={failure} />
      <Form
        form={form}
        name="user-add"
        layout="vertical"
        requiredMark={false}
        onFinish={(fields) =>
          onSave({
            username: fields.username.trim(),
            full_name: fields.full_name.trim(),
            role: fields.role,
            department: fields.department ?? '',
            password: fields.password,
          })
        }
        disabled={busy}
        preserve={false}
      >
        <Form.Item
          label="Tên đăng nhập"
          name="username"
          extra="Từ 3 đến 64 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang."
          rules={[
            { required: true, message: 'Vui lòng nhập tên đăng nhập.' },
            {
              pattern: USERNAME_PATTERN,
              message: 'Tên đăng nhập chỉ gồm 3 đến 64 ký tự a-z, 0-9, ".", "_" hoặc "-".',
            },
          ]}
        >
          <Input autoComplete="off" autoCapitalize="none" spellCheck={false} autoFocus />
        </Form.Item>
        <Form.Item label="Họ và tên" name="full_name" rules={fullNameRules}>
          <Input maxLength={FULL_NAME_MAX} autoComplete="off" />
        </Form.Item>
        <Form.Item label="Vai trò" name="role" rules={roleRules}>
          <Select
            options={ROLE_OPTIONS}
            placeholder="Chọn vai trò"
            showSearch
            optionFilterProp="label"
          />
        </Form.Item>
        <DepartmentField departments={departments} />
        <PasswordFields label="Mật khẩu" />
      </Form>
    </Modal>
  );
}

type EditFields = { full_name: string; role: Role; department?: string; active: boolean };

export function EditUserDialog({
  user,
  isSelf,
  departments,
  onSave,
  busy,
  failure,
  onClose,
}: DialogProps & {
  /** Null while closed. */
  user: UserAccount | null;
  /** The admin's own account: its role and state stay as they are. */
  isSelf: boolean;
  departments: Department[] | null;
  onSave: (change: UserChange) => void;
}) {
  const [form] = Form.useForm<EditFields>();
  return (
    <Modal
      title={user === null ? 'Sửa người dùng' : `Sửa người dùng ${user.username}`}
      open={user !== null}
      okText="Lưu"
      {...changeDialog(busy, onClose)}
      onOk={() => form.submit()}
    >
      <FailureAlert failure={failure} />
      {isSelf && (
        <Typography.Paragraph type="secondary">
          Đây là tài khoản của bạn: không thể tự đổi vai trò hoặc tự khóa tài khoản.
        </Typography.Paragraph>
      )}
      {user !== null && (
        <Form
          form={form}
          name="user-edit"
          layout="vertical"
          requiredMark={false}
          initialValues={{
            full_name: user.full_name,
            role: user.role,
            department: user.department === '' ? undefined : user.department,
            active: user.active,
          }}
          onFinish={(fields) =>
            onSave({
              full_name: fields.full_name.trim(),
              role: fields.role,
              department: fields.department ?? '',
              active: fields.active,
            })
          }
          disabled={busy}
          preserve={false}
        >
          <Form.Item label="Họ và tên" name="full_name" rules={fullNameRules}>
            <Input maxLength={FULL_NAME_MAX} autoComplete="off" />
          </Form.Item>
          <Form.Item label="Vai trò" name="role" rules={roleRules}>
            <Select
              options={ROLE_OPTIONS}
              disabled={isSelf}
              showSearch
              optionFilterProp="label"
            />
          </Form.Item>
          <DepartmentField departments={departments} current={user.department} />
          <Form.Item
            label="Đang hoạt động"
            name="active"
            valuePropName="checked"
            extra="Tắt để khóa tài khoản: người dùng không đăng nhập được nữa và bị đăng xuất ngay."
          >
            <Switch disabled={isSelf} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

type PasswordForm = { password: string; confirm: string };

export function PasswordDialog({
  user,
  onSave,
  busy,
  failure,
  onClose,
}: DialogProps & {
  /** Null while closed. */
  user: UserAccount | null;
  onSave: (password: string) => void;
}) {
  const [form] = Form.useForm<PasswordForm>();
  return (
    <Modal
      title={user === null ? 'Đặt lại mật khẩu' : `Đặt lại mật khẩu cho ${user.full_name}`}
      open={user !== null}
      okText="Đặt lại mật khẩu"
      {...changeDialog(busy, onClose)}
      onOk={() => form.submit()}
    >
      <FailureAlert failure={failure} />
      <Typography.Paragraph type="secondary">
        Người dùng sẽ bị đăng xuất khỏi mọi phiên đang mở và đăng nhập lại bằng mật khẩu mới.
      </Typography.Paragraph>
      <Form
        form={form}
        name="user-password"
        layout="vertical"
        requiredMark={false}
        onFinish={(fields) => onSave(fields.password)}
        disabled={busy}
        preserve={false}
      >
        <PasswordFields label="Mật khẩu mới" />
      </Form>
    </Modal>
  );
}
