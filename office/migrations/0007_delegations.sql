-- Delegation of a leader's powers (ủy quyền): for the days from starts_on to ends_on (days in
-- Vietnam), the delegate may do what the leader's role may, except delegate further. A leader
-- ends one early by setting ended_at. One person holds at most one delegation for any day
-- (Delegations::create checks it under a lock on the delegate's row), so a session finds at most
-- one in force.

CREATE TABLE delegations (
  id          bigserial PRIMARY KEY,
  agency_id   bigint NOT NULL REFERENCES agencies (id),
  delegator   bigint NOT NULL REFERENCES users (id),
  delegate    bigint NOT NULL REFERENCES users (id),
  starts_on   date NOT NULL,
  ends_on     date NOT NULL,
  reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  created_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz,
  ended_by    bigint REFERENCES users (id),
  CHECK (delegator <> delegate),
  CHECK (ends_on >= starts_on),
  CHECK ((ended_at IS NULL) = (ended_by IS NULL))
);
CREATE INDEX delegations_by_delegate ON delegations (delegate, ends_on);
CREATE INDEX delegations_by_agency ON delegations (agency_id, starts_on);

-- The oversight lists scan open assignments by due date.
CREATE INDEX assignments_open_by_due ON assignments (agency_id, due_date) WHERE state <> 'done';
