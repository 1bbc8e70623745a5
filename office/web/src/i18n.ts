// Vietnamese texts that depend on API values.
import { ApiError } from './api';

const ROLE_NAMES: Record<string, string> = {
  clerk: 'Văn thư',
  leader: 'Lãnh đạo',
  deputy: 'Phó lãnh đạo',
  head: 'Trưởng phòng',
  specialist: 'Chuyên viên',
  admin: 'Quản trị cơ quan',
};

export function roleName(role: string): string {
  return ROLE_NAMES[role] ?? role;
}

const ERROR_TEXTS: Record<string, string> = {
  'auth.invalid_credentials': 'Tên đăng nhập hoặc mật khẩu không đúng.',
  'auth.account_locked':
    'Tài khoản tạm khóa vì đăng nhập sai nhiều lần. Vui lòng thử lại sau.',
};

export const GENERIC_ERROR = 'Không kết nối được máy chủ, vui lòng thử lại.';

/** A Vietnamese sentence for an error, and whether it is a known one. */
export function errorText(e: unknown): { text: string; code: string; known: boolean } {
  const code = e instanceof ApiError ? e.code : 'client.unexpected';
  const known = ERROR_TEXTS[code];
  return known !== undefined
    ? { text: known, code, known: true }
    : { text: GENERIC_ERROR, code, known: false };
}
