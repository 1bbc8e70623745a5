// Who may see and do what in the interface. The server enforces the same rules
// (auth.forbidden); these only keep people from meeting buttons they cannot use.
import type { Role } from './api';

const INCOMING_READERS: ReadonlySet<string> = new Set<Role>([
  'clerk',
  'leader',
  'deputy',
  'head',
  'admin',
]);

// Registering (vào sổ) and returning incoming documents is the clerk's work
// (văn thư, Decree 30/2020/NĐ-CP); the agency admin may stand in.
const INCOMING_CLERKS: ReadonlySet<string> = new Set<Role>(['clerk', 'admin']);

export function canReadIncoming(role: string): boolean {
  return INCOMING_READERS.has(role);
}

export function canRegisterIncoming(role: string): boolean {
  return INCOMING_CLERKS.has(role);
}
