-- 0002: push delivery to agencies that want it (with retries and dead letters), and the secrets of
-- the systems that use the national platform's API (HMAC).

ALTER TABLE agencies
  -- HTTPS endpoint the hub POSTs packages to; NULL: the agency only pulls.
  ADD COLUMN push_url text,
  -- What to trust for that endpoint: CA certificates (PEM), and/or the SHA-256 of the exact
  -- server certificate (DER, lowercase hex).
  ADD COLUMN push_ca_pem text,
  ADD COLUMN push_pinned_sha256 text,
  -- Whether the hub presents its own client certificate ([push] in trucd.toml) when pushing.
  ADD COLUMN push_client_certificate boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT agencies_push_trust CHECK (push_url IS NULL OR push_ca_pem IS NOT NULL OR push_pinned_sha256 IS NOT NULL);

-- Push progress of a pending delivery. A dead letter stays pending (the agency can still pull it)
-- but is not pushed again until an operator replays it.
ALTER TABLE deliveries
  ADD COLUMN attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN claimed_until timestamptz,
  ADD COLUMN last_error text,
  ADD COLUMN dead_lettered_at timestamptz;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_state_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_state_check
  CHECK (state IN ('pending', 'acked', 'nacked', 'recalled', 'pushed'));
CREATE INDEX deliveries_push_due ON deliveries (next_attempt_at)
  WHERE state = 'pending' AND dead_lettered_at IS NULL;

CREATE TABLE systems (
  system_id          text PRIMARY KEY,
  -- The HMAC secret, encrypted with AES-256-GCM under the hub's key (compat.secret_key_file):
  -- base64 of nonce | ciphertext | tag. The hub needs the secret itself to check an HMAC, so it
  -- cannot be stored hashed.
  secret_ciphertext  text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now()
);
