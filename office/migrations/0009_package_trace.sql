-- The package's trace (edXML TraceHeaderList): the systems it passed, each with its time as that
-- system wrote it (local time, no zone), in the package's order. Shown with the document.
CREATE TABLE incoming_trace (
  document_id  bigint NOT NULL REFERENCES incoming_documents (id),
  ordinal      integer NOT NULL CHECK (ordinal >= 0),
  organ_id     text NOT NULL,
  at           text,  -- "2026-12-04 09:30:00" as written; none when the hop gave no time
  PRIMARY KEY (document_id, ordinal)
);
