-- Paper documents (văn bản giấy): the clerk scans what arrives by post or by hand and registers
-- it into the same incoming register as electronic documents, with the next number of the same
-- counter. The scans arrive first as uploads, each used once by the row that takes it.

-- A file a staff member sent to the office (a scan: PDF, JPEG or PNG, checked by its bytes),
-- waiting to be attached to a record of the same agency by the same user. consumed_by names the
-- record that took it ('incoming_documents/12'); an upload is taken once.
CREATE TABLE uploads (
  id            bigserial PRIMARY KEY,
  agency_id     bigint NOT NULL REFERENCES agencies (id),
  uploaded_by   bigint NOT NULL REFERENCES users (id),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
  content_type  text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size          bigint NOT NULL CHECK (size > 0),
  blob_sha256   text NOT NULL CHECK (blob_sha256 ~ '^[0-9a-f]{64}$'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  consumed_by   text,
  consumed_at   timestamptz,
  CHECK ((consumed_by IS NULL) = (consumed_at IS NULL))
);
CREATE INDEX uploads_waiting ON uploads (agency_id, uploaded_by) WHERE consumed_at IS NULL;

-- Where an incoming document came from: a package the hub delivered, or paper the clerk
-- registered. Paper has no package and no electronic signature to check ('paper').
ALTER TABLE incoming_documents
  ADD COLUMN source text NOT NULL DEFAULT 'hub' CHECK (source IN ('hub', 'paper')),
  ALTER COLUMN package_id DROP NOT NULL,
  ADD CONSTRAINT incoming_documents_package_of_hub CHECK ((source = 'hub') = (package_id IS NOT NULL)),
  DROP CONSTRAINT incoming_documents_signature_check,
  ADD CONSTRAINT incoming_documents_signature_check
    CHECK (signature IN ('valid', 'invalid', 'unsigned', 'paper')),
  ADD CONSTRAINT incoming_documents_signature_of_paper CHECK ((source = 'paper') = (signature = 'paper'));
