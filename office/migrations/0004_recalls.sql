-- Recalls (thu hồi) of incoming documents: the sender asks for a document back, by a recall
-- package (BussinessDocType 1) or a status 13; the clerk accepts, which voids the document
-- here (regulation 480, article on "Thu hồi văn bản") and answers 15, or refuses and answers 16.
-- A voided document keeps its arrival number: the register has no gaps.
ALTER TABLE incoming_documents
  ADD COLUMN recall_state         text CHECK (recall_state IN ('requested', 'accepted', 'refused')),
  ADD COLUMN recall_reason        text,
  ADD COLUMN recall_requested_at  timestamptz,
  ADD COLUMN recall_decided_at    timestamptz,
  ADD COLUMN recall_decided_by    bigint REFERENCES users (id),
  ADD COLUMN recall_refusal       text,
  ADD CONSTRAINT incoming_documents_recall_requested
    CHECK ((recall_state IS NULL) = (recall_requested_at IS NULL)),
  ADD CONSTRAINT incoming_documents_recall_decided
    CHECK ((recall_state IN ('accepted', 'refused')) = (recall_decided_at IS NOT NULL)),
  ADD CONSTRAINT incoming_documents_recall_refused
    CHECK ((recall_state = 'refused') = (recall_refusal IS NOT NULL));
CREATE INDEX incoming_documents_recalls_pending ON incoming_documents (agency_id)
  WHERE recall_state = 'requested';
