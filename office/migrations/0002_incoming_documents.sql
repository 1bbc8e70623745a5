-- The link with the hub and incoming documents (văn bản đến): what the hub delivered, the
-- documents clerks register or return, and the statuses the office owes the senders.

-- The agency's certificate and key as files the office reads: its client certificate towards the
-- hub's agency API, and the signer of the statuses and documents it sends. Without them the
-- agency has no hub link.
ALTER TABLE agencies
  ADD COLUMN hub_certificate_file text,
  ADD COLUMN hub_private_key_file text,
  ADD CONSTRAINT agencies_hub_credentials_paired
    CHECK ((hub_certificate_file IS NULL) = (hub_private_key_file IS NULL));

-- Arrival numbers: one counter per register, advanced in the transaction that registers a
-- document, so that a rollback gives the number back (no gaps) and the row lock orders
-- concurrent clerks (no duplicates).
ALTER TABLE registers ADD COLUMN next_number integer NOT NULL DEFAULT 1 CHECK (next_number >= 1);

-- Each package the hub delivered to an agency, by push or by pull, once: the hub's id is the key
-- that suppresses a second delivery of the same package.
CREATE TABLE received_packages (
  id              bigserial PRIMARY KEY,
  agency_id       bigint NOT NULL REFERENCES agencies (id),
  hub_package_id  text NOT NULL CHECK (length(hub_package_id) BETWEEN 1 AND 200),
  kind            text NOT NULL CHECK (kind IN ('edoc', 'status')),
  sender_code     text NOT NULL,
  blob_sha256     text NOT NULL CHECK (blob_sha256 ~ '^[0-9a-f]{64}$'),
  size            bigint NOT NULL CHECK (size >= 0),
  arrived_by      text NOT NULL CHECK (arrived_by IN ('push', 'pull')),
  received_at     timestamptz NOT NULL DEFAULT now(),
  -- Pull only: when the hub was told (ack) that the package is safe here.
  acked_at        timestamptz,
  UNIQUE (agency_id, hub_package_id)
);

-- Search that ignores diacritics and case ("cong van" finds "Công văn"): words are folded by
-- unaccent, then taken as they are.
CREATE TEXT SEARCH CONFIGURATION office_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION office_search
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
  WITH unaccent, simple;

CREATE TABLE incoming_documents (
  id                  bigserial PRIMARY KEY,
  agency_id           bigint NOT NULL REFERENCES agencies (id),
  package_id          bigint NOT NULL UNIQUE REFERENCES received_packages (id),
  document_id         text NOT NULL,  -- the sender's edXML DocumentId
  sender_code         text NOT NULL,
  sender_name         text NOT NULL,
  code_number         text NOT NULL,
  code_notation       text NOT NULL,
  subject             text NOT NULL,
  document_type       text NOT NULL,
  promulgation_place  text NOT NULL,
  promulgation_date   date,
  priority            integer NOT NULL CHECK (priority BETWEEN 0 AND 4),
  signer_competence   text NOT NULL,
  signer_position     text NOT NULL,
  signer_name         text NOT NULL,
  due_date            date,
  signature           text NOT NULL CHECK (signature IN ('valid', 'invalid', 'unsigned')),
  signature_detail    text NOT NULL DEFAULT '',
  state               text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'registered', 'returned')),
  register_id         bigint REFERENCES registers (id),
  arrival_number      integer,
  registered_at       timestamptz,
  registered_by       bigint REFERENCES users (id),
  returned_reason     text,
  returned_at         timestamptz,
  returned_by         bigint REFERENCES users (id),
  attachment_names    text NOT NULL DEFAULT '',
  search              tsvector GENERATED ALWAYS AS (to_tsvector('office_search'::regconfig,
                        subject || ' ' || code_number || '/' || code_notation || ' ' ||
                        sender_name || ' ' || signer_name || ' ' || attachment_names)) STORED,
  UNIQUE (register_id, arrival_number),
  CHECK ((state = 'registered') = (arrival_number IS NOT NULL AND register_id IS NOT NULL)),
  CHECK ((state = 'returned') = (returned_reason IS NOT NULL))
);
CREATE INDEX incoming_documents_by_agency ON incoming_documents (agency_id, state, id);
CREATE INDEX incoming_documents_search ON incoming_documents USING gin (search);

CREATE TABLE incoming_attachments (
  document_id   bigint NOT NULL REFERENCES incoming_documents (id),
  ordinal       integer NOT NULL CHECK (ordinal >= 0),
  name          text NOT NULL,
  content_type  text NOT NULL,  -- detected from the bytes, not as declared
  size          bigint NOT NULL CHECK (size >= 0),
  blob_sha256   text NOT NULL CHECK (blob_sha256 ~ '^[0-9a-f]{64}$'),
  PRIMARY KEY (document_id, ordinal)
);

-- Statuses owed to the sender of an incoming document: written in the transaction of the change
-- they report, signed and sent through the hub afterwards by the status sender, at least once.
-- The signed packet is kept (blob_sha256) before the first attempt, so that every retry sends
-- the same bytes and the hub recognises a repeat instead of recording the status twice.
CREATE TABLE outgoing_statuses (
  id                bigserial PRIMARY KEY,
  agency_id         bigint NOT NULL REFERENCES agencies (id),
  incoming_id       bigint NOT NULL REFERENCES incoming_documents (id),
  status_code       text NOT NULL CHECK (status_code IN ('01', '02', '03', '04', '05', '06', '15', '16')),
  description       text NOT NULL DEFAULT '',
  staff_name        text NOT NULL DEFAULT '',
  staff_department  text NOT NULL DEFAULT '',
  created_at        timestamptz NOT NULL DEFAULT now(),
  state             text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  last_error        text NOT NULL DEFAULT '',
  blob_sha256       text CHECK (blob_sha256 ~ '^[0-9a-f]{64}$'),
  hub_package_id    text,
  sent_at           timestamptz
);
CREATE INDEX outgoing_statuses_due ON outgoing_statuses (next_attempt_at) WHERE state = 'pending';
