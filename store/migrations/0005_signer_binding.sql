-- 0005: which certificates may sign for an agency. The subject UID names the agency, but any
-- trusted CA can write any UID: an agency's signatures are bound to the CAs (SHA-256 of the CA
-- certificate's DER, lowercase hex; the issuing CA or any CA of the chain) or to the signer
-- certificates recorded here. With both lists empty the agency's registered client certificates
-- are its signer certificates (docs/security.md, "Signer binding").
ALTER TABLE agencies
  ADD COLUMN signer_cas text[] NOT NULL DEFAULT '{}'
    CHECK (array_to_string(signer_cas, ',') ~ '^([0-9a-f]{64}(,[0-9a-f]{64})*)?$'),
  ADD COLUMN signer_certificates text[] NOT NULL DEFAULT '{}'
    CHECK (array_to_string(signer_certificates, ',') ~ '^([0-9a-f]{64}(,[0-9a-f]{64})*)?$'),
  -- SHA-1 signatures are refused unless the operator allows them for this agency (the deployed
  -- base still signs with rsa-sha1); each one accepted is counted.
  ADD COLUMN allow_sha1 boolean NOT NULL DEFAULT false;
