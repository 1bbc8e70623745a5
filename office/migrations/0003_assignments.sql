-- Assignment and processing (giao xử lý, xử lý): a leader gives a registered incoming document
-- to a main handler with a due date, co-handlers and readers; the main handler starts and
-- finishes the work. Each step owes the sender a status (04, 05, 06).

CREATE TABLE assignments (
  id            bigserial PRIMARY KEY,
  agency_id     bigint NOT NULL REFERENCES agencies (id),
  incoming_id   bigint NOT NULL UNIQUE REFERENCES incoming_documents (id),
  assigned_by   bigint NOT NULL REFERENCES users (id),
  assigned_at   timestamptz NOT NULL DEFAULT now(),
  main_handler  bigint NOT NULL REFERENCES users (id),
  due_date      date,
  instructions  text NOT NULL DEFAULT '',
  state         text NOT NULL DEFAULT 'assigned' CHECK (state IN ('assigned', 'in_progress', 'done')),
  started_at    timestamptz,
  finished_at   timestamptz,
  result        text,
  CHECK ((state = 'done') = (finished_at IS NOT NULL))
);
CREATE INDEX assignments_by_handler ON assignments (main_handler, state);

-- Everyone else the leader named: co-handlers work with the main handler, readers are kept
-- informed. Both see the document among their tasks.
CREATE TABLE assignment_participants (
  assignment_id  bigint NOT NULL REFERENCES assignments (id),
  user_id        bigint NOT NULL REFERENCES users (id),
  part           text NOT NULL CHECK (part IN ('co_handler', 'reader')),
  PRIMARY KEY (assignment_id, user_id)
);
CREATE INDEX assignment_participants_by_user ON assignment_participants (user_id);
