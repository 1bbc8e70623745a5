// Vietnamese texts that depend on API values.
import {
  ApiError,
  type AssignmentState,
  type IncomingFilter,
  type RecallState,
  type Role,
  type Person,
  type SignatureCheck,
  type StatusSent,
  type TaskFilter,
  type TaskPart,
} from './api';

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

/** The roles an admin can give, in the order the role picker lists them. */
export const ROLE_OPTIONS: { value: Role; label: string }[] = (
  ['clerk', 'leader', 'deputy', 'head', 'specialist', 'admin'] as const
).map((value) => ({ value, label: ROLE_NAMES[value] }));

const ERROR_TEXTS: Record<string, string> = {
  'auth.invalid_credentials': 'Tên đăng nhập hoặc mật khẩu không đúng.',
  'auth.account_locked':
    'Tài khoản tạm khóa vì đăng nhập sai nhiều lần. Vui lòng thử lại sau.',
  'auth.session_missing': 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.',
  'auth.forbidden': 'Bạn không có quyền thực hiện thao tác này.',
  'field.invalid': 'Dữ liệu nhập chưa hợp lệ, vui lòng kiểm tra lại.',
  'incoming.not_found': 'Không tìm thấy văn bản.',
  'incoming.already_registered': 'Văn bản này đã được vào sổ.',
  'incoming.already_returned': 'Văn bản này đã được trả lại cho cơ quan gửi.',
  'incoming.recalled': 'Văn bản này đã bị cơ quan gửi thu hồi và đã hủy trên phần mềm.',
  'incoming.no_recall': 'Đề nghị thu hồi này đã được trả lời.',
  'register.not_found': 'Không tìm thấy sổ văn bản đã chọn.',
  'register.closed': 'Sổ văn bản đã chọn không thuộc năm nay. Vui lòng chọn sổ của năm nay.',
  'request.invalid': 'Yêu cầu gửi lên không hợp lệ, vui lòng tải lại trang và thử lại.',
  'incoming.not_registered': 'Văn bản chưa được vào sổ nên chưa thể giao xử lý.',
  'incoming.already_assigned': 'Văn bản này đã được giao xử lý.',
  'user.not_found':
    'Không tìm thấy cán bộ đã chọn, hoặc tài khoản không còn hoạt động. Vui lòng chọn lại.',
  'task.already_started': 'Văn bản này đã được bắt đầu xử lý.',
  'task.already_done': 'Việc xử lý văn bản này đã hoàn thành.',
  'task.not_started': 'Cần bắt đầu xử lý trước khi hoàn thành.',
  'task.no_department':
    'Người đang xử lý chính không thuộc phòng ban nào nên không thể chuyển xử lý.',
  'task.outside_department': 'Chỉ chuyển xử lý cho cán bộ cùng phòng ban.',
  'department.not_found': 'Không tìm thấy phòng ban đã chọn. Vui lòng chọn lại.',
  'department.no_head': 'Phòng ban đã chọn chưa có trưởng phòng để phân công tiếp.',
  'upload.unsupported_type': 'Chỉ nhận tệp PDF, JPEG hoặc PNG đúng định dạng.',
  'upload.empty': 'Tệp rỗng, vui lòng chọn tệp khác.',
  'upload.not_found': 'Không tìm thấy tệp đã tải lên, vui lòng tải lại tệp.',
  'upload.already_used': 'Tệp này đã được dùng cho văn bản khác, vui lòng tải lại tệp.',
  'request.too_large': 'Tệp quá lớn so với giới hạn của hệ thống.',
  'delegation.not_found': 'Không tìm thấy ủy quyền đã chọn.',
  'delegation.self': 'Không thể tự ủy quyền cho chính mình.',
  'delegation.ends_before_start': 'Ngày kết thúc phải từ ngày bắt đầu trở đi.',
  'delegation.overlaps':
    'Người này đã được ủy quyền trong một phần thời gian đã chọn. Vui lòng chọn thời gian khác.',
  'delegation.already_ended': 'Ủy quyền này đã kết thúc.',
  'user.self_change':
    'Bạn không thể tự khóa tài khoản của mình hoặc đổi vai trò của chính mình.',
  'user.exists': 'Tên đăng nhập này đã có người dùng. Vui lòng chọn tên khác.',
  'password.too_short': 'Mật khẩu phải có ít nhất 10 ký tự.',
  'password.too_long': 'Mật khẩu quá dài (tối đa 1024 byte).',
  'password.invalid': 'Mật khẩu có ký tự không hợp lệ.',
  'catalogue.duplicate': 'Danh mục đã có mục trùng tên này.',
  'catalogue.not_found':
    'Không tìm thấy mục này trong danh mục, có thể đã bị thay đổi. Vui lòng tải lại trang.',
};

export const GENERIC_ERROR = 'Không kết nối được máy chủ, vui lòng thử lại.';

/** Shown on the sign-in page when the server no longer knew the session. */
export const SESSION_LOST_TEXT = ERROR_TEXTS['auth.session_missing'];

/** A Vietnamese sentence for an error, and whether it is a known one. */
export function errorText(e: unknown): { text: string; code: string; known: boolean } {
  const code = e instanceof ApiError ? e.code : 'client.unexpected';
  const known = ERROR_TEXTS[code];
  return known !== undefined
    ? { text: known, code, known: true }
    : { text: GENERIC_ERROR, code, known: false };
}

// Incoming documents ----------------------------------------------------------

/** The state filter's options, in the order shown; the first is the default. */
export const INCOMING_FILTERS: { value: IncomingFilter; label: string }[] = [
  { value: 'new', label: 'Chờ vào sổ' },
  { value: 'registered', label: 'Đã vào sổ' },
  { value: 'returned', label: 'Đã trả lại' },
  { value: 'recall', label: 'Đề nghị thu hồi' },
  { value: 'all', label: 'Tất cả' },
];

const INCOMING_STATES: Record<string, { label: string; colour: string }> = {
  new: { label: 'Chờ vào sổ', colour: 'gold' },
  registered: { label: 'Đã vào sổ', colour: 'green' },
  returned: { label: 'Đã trả lại', colour: 'default' },
};

export function incomingState(state: string): { label: string; colour: string } {
  return INCOMING_STATES[state] ?? { label: state, colour: 'default' };
}

const RECALL_STATES: Record<RecallState, { label: string; colour: string }> = {
  requested: { label: 'Đề nghị thu hồi', colour: 'magenta' },
  accepted: { label: 'Đã thu hồi', colour: 'red' },
  refused: { label: 'Từ chối thu hồi', colour: 'default' },
};

export function recallState(state: RecallState): { label: string; colour: string } {
  return RECALL_STATES[state];
}

/**
 * The tag colour for an edXML priority, which the API gives in words. Both
 * tone-mark placements ("Hỏa", "Hoả") occur in Vietnamese text, and in either
 * Unicode form.
 */
export function priorityColour(priority: string): string {
  const p = priority.normalize('NFC').toLocaleLowerCase('vi').replace('hoả', 'hỏa');
  if (p.startsWith('hỏa tốc')) return 'red';
  if (p === 'thượng khẩn') return 'volcano';
  if (p === 'khẩn') return 'orange';
  return 'default';
}

const SIGNATURES: Record<SignatureCheck, { label: string; colour: string }> = {
  valid: { label: 'Hợp lệ', colour: 'green' },
  invalid: { label: 'Không hợp lệ', colour: 'red' },
  unsigned: { label: 'Không có chữ ký', colour: 'default' },
  paper: { label: 'Văn bản giấy, không có chữ ký số', colour: 'default' },
};

export function signatureCheck(signature: string): { label: string; colour: string } {
  return SIGNATURES[signature as SignatureCheck] ?? { label: signature, colour: 'default' };
}

// edXML status codes (QCVN 102:2016) that the office sends back to the sender.
const STATUS_CODES: Record<string, string> = {
  '01': 'Đã đến',
  '02': 'Từ chối tiếp nhận',
  '03': 'Đã tiếp nhận',
  '04': 'Phân công xử lý',
  '05': 'Đang xử lý',
  '06': 'Hoàn thành',
  '15': 'Đồng ý thu hồi',
  '16': 'Từ chối thu hồi',
};

export function statusCodeName(code: string): string {
  return STATUS_CODES[code] ?? code;
}

const STATUS_DELIVERY: Record<StatusSent['state'], { label: string; colour: string }> = {
  pending: { label: 'Đang chờ gửi', colour: 'processing' },
  sent: { label: 'Đã gửi', colour: 'success' },
  failed: { label: 'Gửi lỗi', colour: 'error' },
};

export function statusDelivery(state: string): { label: string; colour: string } {
  return STATUS_DELIVERY[state as StatusSent['state']] ?? { label: state, colour: 'default' };
}

/** The edXML priorities by number, as the paper form offers them. */
export const PRIORITIES: { value: number; label: string }[] = [
  { value: 0, label: 'Thường' },
  { value: 1, label: 'Khẩn' },
  { value: 2, label: 'Thượng khẩn' },
  { value: 3, label: 'Hỏa tốc' },
  { value: 4, label: 'Hỏa tốc hẹn giờ' },
];

export function sourceName(source: string): string {
  return source === 'paper' ? 'Văn bản giấy' : 'Văn bản điện tử';
}

export function registeredMessage(arrivalNumber: number | null): string {
  return arrivalNumber === null ? 'Đã vào sổ.' : `Đã vào sổ, số đến ${arrivalNumber}`;
}

// Assignment and handling -----------------------------------------------------

const ASSIGNMENT_STATES: Record<AssignmentState, { label: string; colour: string }> = {
  assigned: { label: 'Chờ xử lý', colour: 'gold' },
  in_progress: { label: 'Đang xử lý', colour: 'processing' },
  done: { label: 'Hoàn thành', colour: 'success' },
};

export function assignmentState(state: string): { label: string; colour: string } {
  return ASSIGNMENT_STATES[state as AssignmentState] ?? { label: state, colour: 'default' };
}

const TASK_PARTS: Record<TaskPart, string> = {
  main_handler: 'Xử lý chính',
  department: 'Phòng được giao',
  co_handler: 'Phối hợp',
  reader: 'Để biết',
  forwarded: 'Đã chuyển xử lý',
};

export function taskPart(part: string): string {
  return TASK_PARTS[part as TaskPart] ?? part;
}

/** The task list's filter options, in the order shown; the first is the default. */
export const TASK_FILTERS: { value: TaskFilter; label: string }[] = [
  { value: 'open', label: 'Đang xử lý' },
  { value: 'done', label: 'Đã hoàn thành' },
];

/** "Full name — Department", or the name alone without a department. */
export function personLabel(person: Person): string {
  return person.department === '' ? person.full_name : `${person.full_name} — ${person.department}`;
}

export const OVERDUE_TEXT = 'Quá hạn';

export const DUE_SOON_TEXT = 'Sắp đến hạn';

const DELEGATION_STATES: Record<string, { label: string; colour: string }> = {
  scheduled: { label: 'Chưa bắt đầu', colour: 'blue' },
  active: { label: 'Đang hiệu lực', colour: 'green' },
  ended: { label: 'Đã kết thúc sớm', colour: 'default' },
  expired: { label: 'Đã hết hạn', colour: 'default' },
};

export function delegationState(state: string): { label: string; colour: string } {
  return DELEGATION_STATES[state] ?? { label: state, colour: 'default' };
}

/** "Quá hạn 3 ngày", "Hạn hôm nay", "Còn 2 ngày". */
export function daysLeftText(daysLeft: number, overdue: boolean): string {
  if (overdue) return `Quá hạn ${-daysLeft} ngày`;
  if (daysLeft === 0) return 'Hạn hôm nay';
  return `Còn ${daysLeft} ngày`;
}

/** The group of users without a department. */
export const NO_DEPARTMENT_TEXT = 'Chưa có phòng ban';
