-- Numbers, notations and file names are searched like words ("15/UBND-VP", "QĐ-UBND",
-- "cong-van_15.pdf"): the default parser reads such strings as one file or host name token, which
-- only the whole string typed again would find. Their separators are read as spaces, on both
-- sides of the search, and numbers are folded like words.
CREATE FUNCTION office_search_text(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN translate($1, '/.-_', '    ');

ALTER TEXT SEARCH CONFIGURATION office_search
  ALTER MAPPING FOR numword, int, uint WITH unaccent, simple;

-- Recomputed for every row (dropping the column drops its index).
ALTER TABLE incoming_documents DROP COLUMN search;
ALTER TABLE incoming_documents ADD COLUMN search tsvector GENERATED ALWAYS AS (
  to_tsvector('office_search'::regconfig, office_search_text(
    subject || ' ' || code_number || ' ' || code_notation || ' ' || sender_name || ' ' ||
    signer_name || ' ' || attachment_names))) STORED;
CREATE INDEX incoming_documents_search ON incoming_documents USING gin (search);
