-- 0006: the evidence log (docs/evidence.md). Every accepted package and status packet and every
-- delivery outcome is an entry; each entry holds the SHA-256 of the hash of the entry before it,
-- so that the log is a hash chain. Batches of consecutive entries are sealed with the hub's key
-- and stamped by an RFC 3161 time-stamping authority.
--
-- Append-only: one database role cannot be denied UPDATE and DELETE on its own tables, so the
-- triggers below refuse them instead. The only change an entry ever sees is its batch_id being
-- set once, when a batch is sealed; a DELETE or any other UPDATE raises an error. (An owner can
-- drop the trigger; the chain, the seals and the timestamps are what make such tampering show.)

CREATE TABLE evidence_batches (
  id                bigserial PRIMARY KEY,
  first_seq         bigint NOT NULL,
  last_seq          bigint NOT NULL,
  last_entry_hash   text NOT NULL,             -- hex SHA-256 of entry last_seq
  sealed_at         timestamptz NOT NULL DEFAULT now(),
  seal_signature    text NOT NULL,             -- base64, by the hub key over the batch statement
  seal_certificate  text NOT NULL,             -- PEM: the signing certificate, then its chain
  tsa_token         text,                      -- base64 DER TimeStampToken; NULL until stamped
  stamped_at        timestamptz,
  stamp_attempts    integer NOT NULL DEFAULT 0,
  last_stamp_error  text,
  CHECK (first_seq <= last_seq),
  UNIQUE (last_seq)
);
CREATE INDEX evidence_batches_unstamped ON evidence_batches (id) WHERE tsa_token IS NULL;

CREATE TABLE evidence_entries (
  seq             bigint PRIMARY KEY,           -- 1, 2, 3, … without gaps: the chain's order
  kind            text NOT NULL CHECK (kind IN ('package.accepted', 'status.accepted',
                                                'delivery.acked', 'delivery.nacked',
                                                'delivery.pushed', 'delivery.dead_lettered',
                                                'delivery.recalled')),
  message_id      text NOT NULL REFERENCES packages (id),
  actor           text NOT NULL,                -- the agency code (or the hub's) that acted
  recipient_code  text NOT NULL DEFAULT '',     -- the delivery's recipient; '' for a package
  package_sha256  text NOT NULL,
  recorded_at     timestamptz NOT NULL,
  previous_hash   text NOT NULL,
  entry_hash      text NOT NULL UNIQUE,
  batch_id        bigint REFERENCES evidence_batches (id)
);
CREATE INDEX evidence_entries_message ON evidence_entries (message_id, seq);
CREATE INDEX evidence_entries_unsealed ON evidence_entries (seq) WHERE batch_id IS NULL;

-- The end of the chain. Appending locks this one row (SELECT … FOR UPDATE) for the rest of the
-- transaction that writes the outcome, so entries are chained in commit order, one at a time.
CREATE TABLE evidence_chain_head (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_seq   bigint NOT NULL,
  last_hash  text NOT NULL
);
INSERT INTO evidence_chain_head VALUES (true, 0, repeat('0', 64));

CREATE FUNCTION evidence_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.batch_id IS NULL AND NEW.batch_id IS NOT NULL
     AND (NEW.seq, NEW.kind, NEW.message_id, NEW.actor, NEW.recipient_code, NEW.package_sha256,
          NEW.recorded_at, NEW.previous_hash, NEW.entry_hash)
         IS NOT DISTINCT FROM
         (OLD.seq, OLD.kind, OLD.message_id, OLD.actor, OLD.recipient_code, OLD.package_sha256,
          OLD.recorded_at, OLD.previous_hash, OLD.entry_hash) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'evidence entries are append-only (% refused)', TG_OP
    USING ERRCODE = 'check_violation';
END;
$$;
CREATE TRIGGER evidence_entries_append_only BEFORE UPDATE OR DELETE ON evidence_entries
  FOR EACH ROW EXECUTE FUNCTION evidence_entries_append_only();
