-- 0001: the agency directory, accepted packages, their deliveries per recipient, the trace of
-- every state change, and the audit of refused submissions.

CREATE TABLE agencies (
  code              text PRIMARY KEY,                 -- national agency code, e.g. 000.00.00.G22
  name              text NOT NULL,
  parent_code       text REFERENCES agencies (code),
  -- How the hub reaches it: directly (local), through a neighbouring hub, or through the
  -- national network.
  kind              text NOT NULL CHECK (kind IN ('local', 'peer_hub', 'national')),
  -- For an agency behind a gateway: the gateway's entry (a peer_hub or national entry without
  -- route_via of its own), which collects the agency's packages. NULL: the agency collects itself.
  route_via         text REFERENCES agencies (code),
  signature_policy  text NOT NULL DEFAULT 'require'
                    CHECK (signature_policy IN ('require', 'verify_if_present', 'off')),
  enabled           boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (route_via IS NULL OR route_via <> code)
);

-- TLS client certificates (by SHA-256 of the DER) and the agencies each may act for.
CREATE TABLE agency_certificates (
  fingerprint  text NOT NULL,
  agency_code  text NOT NULL REFERENCES agencies (code) ON DELETE CASCADE,
  subject      text NOT NULL,
  not_after    timestamptz NOT NULL,
  PRIMARY KEY (fingerprint, agency_code)
);

-- Platform system ids (the national API's systemid) that may send as the agency.
CREATE TABLE agency_system_ids (
  system_id    text NOT NULL,
  agency_code  text NOT NULL REFERENCES agencies (code) ON DELETE CASCADE,
  PRIMARY KEY (system_id, agency_code)
);

CREATE TABLE packages (
  id                 text PRIMARY KEY,        -- hub id: 24 lowercase hex digits
  seq                bigserial UNIQUE,        -- arrival order
  kind               text NOT NULL CHECK (kind IN ('edoc', 'status')),
  sender_code        text NOT NULL,
  -- edoc: its own DocumentId; status: the DocumentId of the document it is about.
  document_id        text NOT NULL,
  business_doc_type  smallint CHECK (business_doc_type BETWEEN 0 AND 3),
  -- recall/update/replace: the package it concerns; status: the package it answers.
  original_id        text REFERENCES packages (id),
  status_code        smallint,
  sha256             text NOT NULL,           -- of the stored bytes (the blob's name)
  size               bigint NOT NULL,
  received_at        timestamptz NOT NULL DEFAULT now(),
  face               text NOT NULL,           -- the API it came through: native, compat
  signature          text NOT NULL CHECK (signature IN ('verified', 'unsigned', 'not_checked')),
  signer_subject     text
);
-- Duplicate suppression: one edoc per (sender, DocumentId); status packets by their bytes.
CREATE UNIQUE INDEX packages_edoc_identity ON packages (sender_code, document_id) WHERE kind = 'edoc';
CREATE UNIQUE INDEX packages_status_identity ON packages (sender_code, sha256) WHERE kind = 'status';
CREATE INDEX packages_original ON packages (original_id) WHERE original_id IS NOT NULL;

CREATE TABLE deliveries (
  package_id        text NOT NULL REFERENCES packages (id),
  recipient_code    text NOT NULL,            -- the agency the package is for
  target_code       text NOT NULL,            -- who collects it: the agency, or its gateway
  route             text NOT NULL CHECK (route IN ('local', 'peer_hub', 'national')),
  state             text NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'acked', 'nacked', 'recalled')),
  -- Ordering: not offered while this package's delivery to the same recipient is pending
  -- (a recall or update never overtakes its original).
  after_package_id  text REFERENCES packages (id),
  -- The latest business status (01..06, 15, 16) the recipient reported about this package.
  reported_status   smallint,
  nack_reason       text,
  seq               bigint NOT NULL,          -- the package's arrival order, for the inbox
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (package_id, recipient_code)
);
CREATE INDEX deliveries_pending ON deliveries (target_code, seq) WHERE state = 'pending';

CREATE TABLE events (
  id              bigserial PRIMARY KEY,
  package_id      text NOT NULL REFERENCES packages (id),
  recipient_code  text,                       -- NULL for events about the package as a whole
  at              timestamptz NOT NULL DEFAULT now(),
  event           text NOT NULL,
  actor           text NOT NULL,              -- an agency code, 'hub' or 'admin'
  detail          text NOT NULL DEFAULT ''
);
CREATE INDEX events_package ON events (package_id, id);

-- Refused submissions, without content: who tried, what, and why.
CREATE TABLE rejections (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  credential    text NOT NULL,                -- certificate fingerprint or system id
  sender_code   text,                         -- as claimed by the document, when it could be read
  document_id   text,
  code          text NOT NULL,
  message       text NOT NULL,
  size          bigint NOT NULL
);
CREATE INDEX rejections_at ON rejections (at);
