-- What handlers do with a task beyond starting and finishing it (Quy chế 480/QĐ-UBND, Điều 13-14):
-- a leader may give the main handling to a department, whose head passes it to a member; the
-- holder forwards it within the department (chuyển xử lý), each handover kept; participants
-- comment (ý kiến xử lý) and attach working files; the main handler may close it as needing no
-- action (không cần xử lý).

-- Either a person or a department handles the document mainly, never both, never neither: the
-- department's head forwards a department task to a member, which makes it a person's.
ALTER TABLE assignments ALTER COLUMN main_handler DROP NOT NULL;
ALTER TABLE assignments ADD COLUMN main_department_id bigint REFERENCES departments (id);
ALTER TABLE assignments ADD CONSTRAINT assignments_one_main_handler
  CHECK ((main_handler IS NULL) <> (main_department_id IS NULL));
CREATE INDEX assignments_by_department ON assignments (main_department_id, state);

-- A task closed as needing no action is done; its result holds the reason.
ALTER TABLE assignments ADD COLUMN no_action boolean NOT NULL DEFAULT false;
ALTER TABLE assignments ADD CONSTRAINT assignments_no_action_done
  CHECK (NOT no_action OR state = 'done');

-- Whoever held the main handling and passed it on keeps seeing the task ('forwarded').
ALTER TABLE assignment_participants DROP CONSTRAINT assignment_participants_part_check;
ALTER TABLE assignment_participants ADD CONSTRAINT assignment_participants_part_check
  CHECK (part IN ('co_handler', 'reader', 'forwarded'));

-- Each passing of the main handling, in order: from a person or from the department the leader
-- named, to a person of the same department, by the holder or the department's head.
CREATE TABLE assignment_handovers (
  id                  bigserial PRIMARY KEY,
  assignment_id       bigint NOT NULL REFERENCES assignments (id),
  from_user           bigint REFERENCES users (id),
  from_department_id  bigint REFERENCES departments (id),
  to_user             bigint NOT NULL REFERENCES users (id),
  handed_over_by      bigint NOT NULL REFERENCES users (id),
  handed_over_at      timestamptz NOT NULL DEFAULT now(),
  note                text NOT NULL DEFAULT '',
  CHECK ((from_user IS NULL) <> (from_department_id IS NULL))
);
CREATE INDEX assignment_handovers_of ON assignment_handovers (assignment_id, id);

-- Ý kiến xử lý: the thread of an assignment's participants, in the order written.
CREATE TABLE assignment_comments (
  id             bigserial PRIMARY KEY,
  assignment_id  bigint NOT NULL REFERENCES assignments (id),
  author         bigint NOT NULL REFERENCES users (id),
  written_at     timestamptz NOT NULL DEFAULT now(),
  body           text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000)
);
CREATE INDEX assignment_comments_of ON assignment_comments (assignment_id, id);

-- Tệp dự thảo / hồ sơ xử lý: files the participants attach to the task, each an upload (0005)
-- taken once.
CREATE TABLE assignment_files (
  id             bigserial PRIMARY KEY,
  assignment_id  bigint NOT NULL REFERENCES assignments (id),
  upload_id      bigint NOT NULL UNIQUE REFERENCES uploads (id),
  added_by       bigint NOT NULL REFERENCES users (id),
  added_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assignment_files_of ON assignment_files (assignment_id, id);
