// Who may see and do what in the interface: the actions the server lists in the
// session answer, from its one authorization table. The server enforces them
// (auth.forbidden); the interface only spares people buttons they cannot use.
import type { Action, Session } from './api';

export function may(session: Session, action: Action): boolean {
  return session.actions.includes(action);
}
