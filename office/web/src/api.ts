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
  | 'handle_tasks'
  | 'view_deadlines'
  | 'view_progress'
  | 'delegate_powers';

/** The leader's powers the user holds by delegation (ủy quyền) today. */
export interface DelegationHeld {
  delegator: { username: string; full_name: string };
  role: Role | string;
  /** The delegation's last day, "2026-12-31". */
  ends_on: string;
}

export interface Session {
  user: User;
  csrf_token: string;
  /** What the user may do, by role or by delegation, as the server decides it. */
  actions: Action[];
  /** Set while the user acts for a leader (đang được ủy quyền). */
  delegation: DelegationHeld | null;
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

// Incoming documents (văn bản đến) --------------------------------------------

export type IncomingState = 'new' | 'registered' | 'returned';
export type IncomingFilter = IncomingState | 'all';
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

/** A status notice sent back to the sender (edXML status codes 01 to 06). */
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

// Following up deadlines (theo dõi, đôn đốc) ------------------------------------------

export type DeadlineFilter = 'overdue' | 'due_soon' | 'open';

/** An open assignment as the oversight lists show it. */
export interface DeadlineItem {
  id: number;
  code: string;
  subject: string;
  sender_name: string;
  task_state: AssignmentState;
  due_date: string | null;
  /** Days from today (Vietnam) to the due date; negative when overdue. */
  days_left: number;
  overdue: boolean;
  main_handler: Person;
  department_id: number | null;
  assigned_at: string;
}

export interface DeadlineList {
  items: DeadlineItem[];
  due_soon_days: number;
  /** Whether the list covers the whole agency (a head's covers the department). */
  whole_agency: boolean;
}

/** `department`: an id, 'none' for those without one, or null for the whole scope. */
export async function listDeadlines(
  state: DeadlineFilter,
  department: number | 'none' | null = null,
): Promise<DeadlineList> {
  const query = new URLSearchParams({ state });
  if (department !== null) query.set('department', String(department));
  return request<DeadlineList>('GET', `/oversight/deadlines?${query.toString()}`);
}

export interface DepartmentProgress {
  /** null: "Chưa có phòng ban". */
  department_id: number | null;
  department: string;
  total: number;
  assigned: number;
  in_progress: number;
  done: number;
  overdue: number;
  done_on_time: number;
  done_late: number;
}

export async function listProgress(): Promise<DepartmentProgress[]> {
  const answer = await request<{ items: DepartmentProgress[] }>('GET', '/oversight/progress');
  return answer.items;
}

export interface Reminders {
  overdue: number;
  due_soon: number;
  due_soon_days: number;
  most_urgent: DeadlineItem[];
  /** The overdue work of the scope one follows up (agency or department); null for others. */
  scope_overdue: number | null;
}

export async function getReminders(): Promise<Reminders> {
  return request<Reminders>('GET', '/reminders');
}

// Delegation (ủy quyền) ------------------------------------------------------------

export type DelegationState = 'scheduled' | 'active' | 'ended' | 'expired';

export interface Delegation {
  id: number;
  delegator: Person;
  delegate: Person;
  delegate_role: Role | string;
  starts_on: string;
  ends_on: string;
  reason: string;
  state: DelegationState;
  ended_at: string | null;
  ended_by: Person | null;
}

export interface NewDelegation {
  delegate: string;
  starts_on: string;
  ends_on: string;
  reason: string;
}

export async function listDelegations(): Promise<Delegation[]> {
  const answer = await request<{ items: Delegation[] }>('GET', '/delegations');
  return answer.items;
}

export async function listDelegationCandidates(): Promise<Person[]> {
  const answer = await request<{ items: Person[] }>('GET', '/delegations/candidates');
  return answer.items;
}

export async function createDelegation(delegation: NewDelegation): Promise<Delegation> {
  return request<Delegation>('POST', '/delegations', delegation);
}

export async function endDelegation(id: number): Promise<Delegation> {
  return request<Delegation>('POST', `/delegations/${id}/end`);
}

/** True when the server no longer knows the session: the app goes back to sign-in. */
export function isSessionLost(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 401 || e.code === 'auth.session_missing');
}
