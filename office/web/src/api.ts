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
  | 'upload_files'
  | 'discuss_tasks'
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
  return send<T>(method, path, headers, body === undefined ? undefined : JSON.stringify(body));
}

/** Sends a request with the CSRF token when it changes something, and reads the JSON answer. */
async function send<T>(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: BodyInit | undefined,
): Promise<T> {
  if (method !== 'GET' && csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(BASE + path, { method, headers, credentials: 'same-origin', body });
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
/** 'paper': a paper document registered from its scans, with no electronic signature to check. */
export type SignatureCheck = 'valid' | 'invalid' | 'unsigned' | 'paper';
/** Delivered by the hub, or registered from paper by the clerk. */
export type IncomingSource = 'hub' | 'paper';

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
  source: IncomingSource;
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

/** One system the package passed, with the time it wrote (local time, no zone). */
export interface TraceHop {
  organ_id: string;
  at: string | null;
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
  /** Null for a paper document. */
  hub_package_id: string | null;
  registered_at: string | null;
  registered_by: string | null;
  returned_reason: string | null;
  statuses_sent: StatusSent[];
  recall: Recall | null;
  /** How the hub delivered it: pushed to the office, or pulled by it; null for paper. */
  arrived_by: 'push' | 'pull' | null;
  /** The package's trace (edXML TraceHeaderList): the systems it passed, in order. */
  trace: TraceHop[];
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

/** The register book (sổ đăng ký) as a PDF, opened by the browser itself with the cookie. */
export function registerBookUrl(registerId: number): string {
  return `${BASE}/catalogues/registers/${registerId}/book`;
}

export async function registerIncoming(id: number, registerId: number): Promise<IncomingDetail> {
  return request<IncomingDetail>('POST', `/incoming/${id}/register`, { register_id: registerId });
}

// Paper documents (văn bản giấy) and their scans ---------------------------------

/** The file types the server takes, checked by their bytes. */
export const SCAN_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

export interface UploadedFile {
  id: number;
  name: string;
  content_type: string;
  size: number;
}

/** Sends one file as it is (the raw body, its name in the query), before the record it joins. */
export async function uploadFile(file: File): Promise<UploadedFile> {
  return send<UploadedFile>(
    'POST',
    `/uploads?name=${encodeURIComponent(file.name)}`,
    { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' },
    file,
  );
}

export interface PaperDocument {
  register_id: number;
  sender_name: string;
  code_number: string;
  code_notation: string;
  document_type: string;
  subject: string;
  /** "2026-11-30". */
  promulgation_date: string;
  /** 0 (Thường) to 4 (Hỏa tốc hẹn giờ). */
  priority: number;
  signer_name: string;
  due_date: string | null;
  /** The ids of the uploaded scans, in order. */
  uploads: number[];
}

export async function registerPaper(paper: PaperDocument): Promise<IncomingDetail> {
  return request<IncomingDetail>('POST', '/incoming/paper', paper);
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

/** A department (phòng, ban) of the agency. */
export interface Department {
  id: number;
  name: string;
}

/** One passing of the main handling (chuyển xử lý). */
export interface Handover {
  /** The previous holder, or null when the department the leader named passed it on. */
  from: Person | null;
  from_department: string | null;
  to: Person;
  by: Person;
  /** ISO 8601, UTC. */
  at: string;
  /** Empty without a note. */
  note: string;
}

export interface Assignment {
  state: AssignmentState;
  assigned_by: Person;
  /** ISO 8601, UTC. */
  assigned_at: string;
  /** Xử lý chính: the one who starts and finishes the work; null while a department holds it. */
  main_handler: Person | null;
  /** The department given the main handling, until its head passes it to a member. */
  main_department: Department | null;
  /** Closed as needing no action (không cần xử lý); `result` holds the reason. */
  no_action: boolean;
  /** Oldest first. */
  handovers: Handover[];
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

/** Exactly one of main_handler and main_department_id. */
export interface NewAssignment {
  main_handler?: string;
  main_department_id?: number;
  co_handlers: string[];
  readers: string[];
  due_date: string | null;
  instructions: string;
}

/**
 * Who can be given work: the agency's active specialists and department heads,
 * and the departments that have a head to pass it on.
 */
export async function listHandlers(): Promise<{ people: Person[]; departments: Department[] }> {
  const answer = await request<{ items: Person[]; departments: Department[] }>(
    'GET',
    '/handlers',
  );
  return { people: answer.items, departments: answer.departments };
}

export async function assignIncoming(id: number, assignment: NewAssignment): Promise<Assignment> {
  return request<Assignment>('POST', `/incoming/${id}/assign`, assignment);
}

export type TaskFilter = 'open' | 'done';
/** 'department': the caller heads the department holding it; 'forwarded': they passed it on. */
export type TaskPart = 'main_handler' | 'department' | 'co_handler' | 'reader' | 'forwarded';

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

/** Không cần xử lý: the main handler closes the task with a reason (status 06). */
export async function closeWithoutAction(id: number, reason: string): Promise<Assignment> {
  return request<Assignment>('POST', `/tasks/${id}/no-action`, { reason });
}

/** Whom the holder may pass the task to: the active handlers of the department. */
export async function listColleagues(id: number): Promise<Person[]> {
  const answer = await request<{ items: Person[] }>('GET', `/tasks/${id}/colleagues`);
  return answer.items;
}

/** Chuyển xử lý within the department. */
export async function forwardTask(id: number, to: string, note: string): Promise<Assignment> {
  return request<Assignment>('POST', `/tasks/${id}/forward`, { to, note });
}

/** Ý kiến xử lý. */
export interface Comment {
  id: number;
  author: Person;
  /** ISO 8601, UTC. */
  written_at: string;
  body: string;
}

export async function listComments(id: number): Promise<Comment[]> {
  const answer = await request<{ items: Comment[] }>('GET', `/tasks/${id}/comments`);
  return answer.items;
}

export async function addComment(id: number, body: string): Promise<Comment> {
  return request<Comment>('POST', `/tasks/${id}/comments`, { body });
}

/** Tệp dự thảo / hồ sơ xử lý: a working file attached to a task. */
export interface TaskFile {
  id: number;
  name: string;
  content_type: string;
  size: number;
  added_by: Person;
  /** ISO 8601, UTC. */
  added_at: string;
}

export async function listTaskFiles(id: number): Promise<TaskFile[]> {
  const answer = await request<{ items: TaskFile[] }>('GET', `/tasks/${id}/files`);
  return answer.items;
}

export async function attachTaskFile(id: number, uploadId: number): Promise<TaskFile> {
  return request<TaskFile>('POST', `/tasks/${id}/files`, { upload_id: uploadId });
}

/** Where the browser fetches a working file: a PDF opens inline, anything else downloads. */
export function taskFileUrl(id: number, fileId: number): string {
  return `${BASE}/tasks/${id}/files/${fileId}`;
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
