-- 0004: credentials that may be used once (the national platform face's signed header sets), and
-- each agency's code in the national list of Decision 20/2020/QĐ-TTg beside its edXML code.

-- A token seen once in a scope (scope 'compat:<system id>', token the HMAC of a header set) is
-- refused the next time, on any node sharing this database. A row is useless once valid_until has
-- passed (the timestamp check refuses the header set by then), and is pruned.
CREATE TABLE used_credentials (
  scope        text NOT NULL,
  token        text NOT NULL,
  valid_until  timestamptz NOT NULL,
  PRIMARY KEY (scope, token)
);
CREATE INDEX used_credentials_expiry ON used_credentials (valid_until);

-- What /getAgenciesListQD20 answers as code102; NULL while an operator has not recorded it.
ALTER TABLE agencies ADD COLUMN qd20_code text;
