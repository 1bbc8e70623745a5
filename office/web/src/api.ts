// The one module that talks to truc-office's JSON API under /office/api/v1.
// The session cookie is HttpOnly and sent by the browser; the CSRF token from
// the session answer is kept in memory only and sent on every non-GET request.

const BASE = '/office/api/v1';

export type Role = 'clerk' | 'leader' | 'deputy' | 'head' | 'specialist' | 'admin';

export interface User {
  username: string;
  full_name: string;
  role: Role | string;
  agency_code: string;
  agency_name: string;
  /** The department's name; empty without one. */
  department: string;
}

/** The actions of the server's authorization table (office/src/authorization.cpp). */
export type Action =
  | 'use_session'
  | 'view_catalogues'
  | 'edit_catalogues'
  | 'view_users'
  | 'manage_users'
  | 'view_incoming'
  | 'decide_incoming'
  | 'assign_incoming'
  | 'handle_tasks';

export interface Session {
  user: User;
  csrf_token: string;
  /** What the user's role may do, as the server decides it. */
  actions: Action[];
}

export interface DocumentType {
  id: number;
  abbreviation: string;
  name: string;
}

/** An error answer from the API ({code, message, details}) or a transport failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken: string | null = null;

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'network.unreachable', e instanceof Error ? e.message : String(e));
  }

  if (response.status === 204) return undefined as T;

  let data: unknown = null;
  const text = await response.text();
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError(response.status, 'response.not_json', `HTTP ${response.status}`);
    }
  }

  if (!response.ok) {
    const err = (data ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
    throw new ApiError(
      response.status,
      typeof err.code === 'string' ? err.code : `http.${response.status}`,
      typeof err.message === 'string' ? err.message : `HTTP ${response.status}`,
      err.details,
    );
  }
  return data as T;
}

function remember(session: Session): Session {
  csrfToken = session.csrf_token;
  return session;
}

/** The current session, or null when there is none (401). */
export async function getSession(): Promise<Session | null> {
  try {
    return remember(await request<Session>('GET', '/session'));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      csrfToken = null;
      return null;
    }
    throw e;
  }
}

export async function signIn(username: string, password: string): Promise<Session> {
  return remember(await request<Session>('POST', '/session', { username, password }));
}

export async function signOut(): Promise<void> {
  try {
    await request<void>('DELETE', '/session');
  } finally {
    csrfToken = null;
  }
}

export async function listDocumentTypes(): Promise<DocumentType[]> {
  const answer = await request<{ items: DocumentType[] }>('GET', '/catalogues/document-types');
  return answer.items;
}

// Agency administration: accounts and catalogues -------------------------------

/** An account of the agency, as the admin sees it. */
export interface UserAccount {
  username: string;
  full_name: string;
  role: Role | string;
  /** The department's name; empty without one. */
  department: string;
  /** False once the admin deactivated the account (đã khóa tài khoản). */
  active: boolean;
  /** True while sign-in is locked after too many failed attempts. */
  locked: boolean;
}

export interface NewUserAccount {
  username: string;
  full_name: string;
  role: Role;
  password: string;
  /** A department's name; empty for none. */
  department: string;
}

export interface UserChange {
  full_name: string;
  role: Role | string;
  department: string;
  active: boolean;
}

export async function listUsers(): Promise<UserAccount[]> {
  const answer = await request<{ items: UserAccount[] }>('GET', '/users');
  return answer.items;
}

export async function createUser(user: NewUserAccount): Promise<UserAccount> {
  return request<UserAccount>('POST', '/users', user);
}

export async function updateUser(username: string, change: UserChange): Promise<UserAccount> {
  return request<UserAccount>('PUT', `/users/${encodeURIComponent(username)}`, change);
}

/** Lifts the sign-in lock after failed attempts. */
export async function unlockUser(username: string): Promise<UserAccount> {
  return request<UserAccount>('POST', `/users/${encodeURIComponent(username)}/unlock`);
}

/** Sets a new password; the user's open sessions end. */
export async function resetPassword(username: string, password: string): Promise<UserAccount> {
  return request<UserAccount>('POST', `/users/${encodeURIComponent(username)}/password`, {
    password,
  });
}

export interface Department {
  id: number;
  name: string;
  /** The number of active accounts in it. */
  users: number;
}

export async function listDepartments(): Promise<Department[]> {
  const answer = await request<{ items: Department[] }>('GET', '/departments');
  return answer.items;
}

export async function createDepartment(name: string): Promise<Department> {
  return request<Department>('POST', '/departments', { name });
}

export async function renameDepartment(id: number, name: string): Promise<Department> {
  return request<Department>('PUT', `/departments/${id}`, { name });
}

export async function createDocumentType(
  abbreviation: string,
  name: string,
): Promise<DocumentType> {
  return request<DocumentType>('POST', '/catalogues/document-types', { abbreviation, name });
}

export async function updateDocumentType(
  id: number,
  abbreviation: string,
  name: string,
): Promise<DocumentType> {
  return request<DocumentType>('PUT', `/catalogues/document-types/${id}`, { abbreviation, name });
}

export type RegisterDirection = 'incoming' | 'outgoing';

/** A register (sổ văn bản) as the catalogue shows it. */
export interface CatalogueRegister {
  id: number;
  name: string;
  year: number;
  direction: RegisterDirection | string;
  /** A register for secret documents (sổ văn bản mật). */
  secret: boolean;
  /** The number the next document registered in it gets. */
  next_number: number;
}

export interface NewRegister {
  direction: RegisterDirection;
  year: number;
  name: string;
  secret: boolean;
}

export async function listRegisters(direction: RegisterDirection): Promise<CatalogueRegister[]> {
  const answer = await request<{ items: CatalogueRegister[] }>(
    'GET',
    `/catalogues/registers?direction=${direction}`,
  );
  return answer.items;
}

export async function createRegister(register: NewRegister): Promise<CatalogueRegister> {
  return request<CatalogueRegister>('POST', '/catalogues/registers', register);
}

/** Opens next year's registers as copies of this year's; answers the ones it created. */
export async function openNextYearRegisters(): Promise<CatalogueRegister[]> {
  const answer = await request<{ items: CatalogueRegister[] }>(
    'POST',
    '/catalogues/registers/next-year',
  );
  return answer.items;
}

/** An urgency (độ khẩn) or secrecy (độ mật) level: renamed only, the rank is edXML's. */
export interface Level {
  id: number;
  rank: number;
  name: string;
}

export type LevelKind = 'urgency-levels' | 'secrecy-levels';

export async function listLevels(kind: LevelKind): Promise<Level[]> {
  const answer = await request<{ items: Level[] }>('GET', `/catalogues/${kind}`);
  return answer.items;
}

export async function renameLevel(kind: LevelKind, id: number, name: string): Promise<Level> {
  return request<Level>('PUT', `/catalogues/${kind}/${id}`, { name });
}

/** A field (lĩnh vực) documents are about. */
export interface Field {
  id: number;
  name: string;
}

export async function listFields(): Promise<Field[]> {
  const answer = await request<{ items: Field[] }>('GET', '/catalogues/fields');
  return answer.items;
}

export async function createField(name: string): Promise<Field> {
  return request<Field>('POST', '/catalogues/fields', { name });
}

export async function renameField(id: number, name: string): Promise<Field> {
  return request<Field>('PUT', `/catalogues/fields/${id}`, { name });
}

// Incoming documents (văn bản đến) --------------------------------------------

export type IncomingState = 'new' | 'registered' | 'returned';
/** 'recall': the documents whose sender's recall awaits the clerk's answer. */
export type IncomingFilter = IncomingState | 'recall' | 'all';
/** The sender's recall: awaiting the clerk, accepted (the document is void) or refused. */
export type RecallState = 'requested' | 'accepted' | 'refused';
export type SignatureCheck = 'valid' | 'invalid' | 'unsigned';

export interface IncomingSummary {
  id: number;
  /** ISO 8601, UTC. */
  received_at: string;
  sender_code: string;
  sender_name: string;
  /** Number and notation (số/ký hiệu), e.g. "12/UBND-VP". */
  code: string;
  /** Trích yếu. */
  subject: string;
  document_type: string;
  /** A calendar date, "2026-12-01". */
  promulgation_date: string | null;
  /** The edXML priority in words: "Thường", "Khẩn", "Thượng khẩn", "Hỏa tốc", "Hỏa tốc hẹn giờ". */
  priority: string;
  state: IncomingState;
  arrival_number: number | null;
  register_name: string | null;
  signature: SignatureCheck;
  /** Null while the sender never asked for the document back. */
  recall_state: RecallState | null;
}

export interface Signer {
  competence: string;
  position: string;
  full_name: string;
}

export interface Attachment {
  index: number;
  name: string;
  content_type: string;
  size: number;
}

/** The sender's request for the document back (thu hồi), and the clerk's answer. */
export interface Recall {
  state: RecallState;
  /** The sender's reason. */
  reason: string;
  requested_at: string;
  decided_at: string | null;
  /** Full name of the clerk who answered. */
  decided_by: string | null;
  /** Why the clerk refused. */
  refusal: string | null;
}

/** A status notice sent back to the sender (edXML status codes 01 to 06, 15 and 16). */
export interface StatusSent {
  code: string;
  at: string;
  state: 'pending' | 'sent' | 'failed';
}

export interface IncomingDetail extends IncomingSummary {
  signer: Signer;
  due_date: string | null;
  attachments: Attachment[];
  hub_package_id: string;
  registered_at: string | null;
  registered_by: string | null;
  returned_reason: string | null;
  statuses_sent: StatusSent[];
  recall: Recall | null;
  /** Who handles it (giao xử lý); null until a leader assigns it. */
  assignment: Assignment | null;
}

export interface Register {
  id: number;
  name: string;
  year: number;
  direction: string;
}

export async function listIncoming(state: IncomingFilter, q: string): Promise<IncomingSummary[]> {
  const query = new URLSearchParams({ state });
  if (q !== '') query.set('q', q);
  const answer = await request<{ items: IncomingSummary[] }>('GET', `/incoming?${query}`);
  return answer.items;
}

export async function getIncoming(id: number): Promise<IncomingDetail> {
  return request<IncomingDetail>('GET', `/incoming/${id}`);
}

/** Where the browser itself fetches an attachment (a link or an <iframe>, with the cookie). */
export function attachmentUrl(id: number, index: number): string {
  return `${BASE}/incoming/${id}/attachments/${index}`;
}

export async function listIncomingRegisters(): Promise<Register[]> {
  const answer = await request<{ items: Register[] }>(
    'GET',
    '/catalogues/registers?direction=incoming',
  );
  return answer.items;
}

export async function registerIncoming(id: number, registerId: number): Promise<IncomingDetail> {
  return request<IncomingDetail>('POST', `/incoming/${id}/register`, { register_id: registerId });
}

export async function returnIncoming(id: number, reason: string): Promise<IncomingDetail> {
  return request<IncomingDetail>('POST', `/incoming/${id}/return`, { reason });
}

/** Accepts the sender's recall: the document is void here, and the sender gets status 15. */
export async function acceptRecall(id: number): Promise<IncomingDetail> {
  return request<IncomingDetail>('POST', `/incoming/${id}/recall/accept`);
}

/** Refuses the sender's recall with a reason, sent with status 16. */
export async function refuseRecall(id: number, reason: string): Promise<IncomingDetail> {
  return request<IncomingDetail>('POST', `/incoming/${id}/recall/refuse`, { reason });
}

// Assignment and handling (giao xử lý, xử lý) -------------------------------------

/** Someone of the agency, as an assignment names them. */
export interface Person {
  username: string;
  full_name: string;
  /** The department's name; empty without one. */
  department: string;
}

export type AssignmentState = 'assigned' | 'in_progress' | 'done';

export interface Assignment {
  state: AssignmentState;
  assigned_by: Person;
  /** ISO 8601, UTC. */
  assigned_at: string;
  /** Xử lý chính: the one who starts and finishes the work. */
  main_handler: Person;
  /** Phối hợp. */
  co_handlers: Person[];
  /** Để biết. */
  readers: Person[];
  /** A calendar date, "2026-12-31". */
  due_date: string | null;
  /** Ý kiến chỉ đạo; empty without any. */
  instructions: string;
  started_at: string | null;
  finished_at: string | null;
  /** Kết quả xử lý, once done. */
  result: string | null;
}

export interface NewAssignment {
  main_handler: string;
  co_handlers: string[];
  readers: string[];
  due_date: string | null;
  instructions: string;
}

/** Who can be given work: the agency's active specialists and department heads. */
export async function listHandlers(): Promise<Person[]> {
  const answer = await request<{ items: Person[] }>('GET', '/handlers');
  return answer.items;
}

export async function assignIncoming(id: number, assignment: NewAssignment): Promise<Assignment> {
  return request<Assignment>('POST', `/incoming/${id}/assign`, assignment);
}

export type TaskFilter = 'open' | 'done';
export type TaskPart = 'main_handler' | 'co_handler' | 'reader';

/** A document among the caller's tasks (việc của tôi), with the caller's part in it. */
export interface TaskSummary extends IncomingSummary {
  part: TaskPart;
  task_state: AssignmentState;
  /** The assignment's due date (hạn xử lý), not the document's. */
  due_date: string | null;
  overdue: boolean;
}

/** The incoming document of one of the caller's tasks, always with its assignment. */
export interface TaskDetail extends IncomingDetail {
  assignment: Assignment;
}

export async function listTasks(state: TaskFilter): Promise<TaskSummary[]> {
  const answer = await request<{ items: TaskSummary[] }>('GET', `/tasks?state=${state}`);
  return answer.items;
}

export async function getTask(id: number): Promise<TaskDetail> {
  return request<TaskDetail>('GET', `/tasks/${id}`);
}

/** An attachment of a task's document: handlers read documents through their tasks. */
export function taskAttachmentUrl(id: number, index: number): string {
  return `${BASE}/tasks/${id}/attachments/${index}`;
}

export async function startTask(id: number): Promise<Assignment> {
  return request<Assignment>('POST', `/tasks/${id}/start`);
}

export async function finishTask(id: number, result: string): Promise<Assignment> {
  return request<Assignment>('POST', `/tasks/${id}/finish`, { result });
}

/** True when the server no longer knows the session: the app goes back to sign-in. */
export function isSessionLost(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 401 || e.code === 'auth.session_missing');
}
