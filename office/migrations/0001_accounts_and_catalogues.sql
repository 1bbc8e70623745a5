-- The document office's own database: agencies it serves, their departments and accounts,
-- sessions, the audit trail, and the catalogues an agency admin edits (office-rules.md).

CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TABLE agencies (
  id          bigserial PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Z]{1,3}(\.[0-9A-Z]{1,3}){3}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE departments (
  id          bigserial PRIMARY KEY,
  agency_id   bigint NOT NULL REFERENCES agencies (id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  UNIQUE (agency_id, name)
);

CREATE TABLE users (
  id               bigserial PRIMARY KEY,
  agency_id        bigint NOT NULL REFERENCES agencies (id),
  department_id    bigint REFERENCES departments (id),
  username         text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
  full_name        text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 50),
  role             text NOT NULL
                   CHECK (role IN ('clerk', 'leader', 'deputy', 'head', 'specialist', 'admin')),
  password_hash    text NOT NULL,
  failed_attempts  integer NOT NULL DEFAULT 0,
  locked_until     timestamptz,
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- Only digests of the tokens are kept: a copy of this table signs nobody in.
CREATE TABLE sessions (
  token_sha256  text PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Every action on an account or a document; appended to, never deleted from (no DELETE grant).
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  agency_id   bigint REFERENCES agencies (id),
  user_id     bigint REFERENCES users (id),
  action      text NOT NULL,
  subject     text NOT NULL DEFAULT '',
  detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_by_agency ON audit_log (agency_id, at);

-- Catalogues, one copy per agency, seeded from catalogue_seed when the agency is created and
-- edited by its admin afterwards.
CREATE TABLE document_types (
  id            bigserial PRIMARY KEY,
  agency_id     bigint NOT NULL REFERENCES agencies (id),
  abbreviation  text NOT NULL CHECK (length(abbreviation) <= 10),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  UNIQUE (agency_id, name)
);

CREATE TABLE registers (
  id          bigserial PRIMARY KEY,
  agency_id   bigint NOT NULL REFERENCES agencies (id),
  direction   text NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  secret      boolean NOT NULL DEFAULT false,
  UNIQUE (agency_id, direction, year, name)
);

CREATE TABLE urgency_levels (
  id          bigserial PRIMARY KEY,
  agency_id   bigint NOT NULL REFERENCES agencies (id),
  rank        integer NOT NULL,
  name        text NOT NULL,
  UNIQUE (agency_id, name)
);

CREATE TABLE secrecy_levels (
  id          bigserial PRIMARY KEY,
  agency_id   bigint NOT NULL REFERENCES agencies (id),
  rank        integer NOT NULL,
  name        text NOT NULL,
  UNIQUE (agency_id, name)
);

CREATE TABLE fields (
  id          bigserial PRIMARY KEY,
  agency_id   bigint NOT NULL REFERENCES agencies (id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  UNIQUE (agency_id, name)
);

-- What a new agency's catalogues start from: Decree 30 Appendix III and office-rules.md.
CREATE TABLE catalogue_seed (
  catalogue     text NOT NULL CHECK (catalogue IN ('document_type', 'urgency', 'secrecy', 'field')),
  ordinal       integer NOT NULL,
  abbreviation  text NOT NULL DEFAULT '',
  name          text NOT NULL,
  PRIMARY KEY (catalogue, ordinal)
);

INSERT INTO catalogue_seed (catalogue, ordinal, abbreviation, name) VALUES
  ('document_type', 1, 'NQ', 'Nghị quyết'), ('document_type', 2, 'QĐ', 'Quyết định'),
  ('document_type', 3, 'CT', 'Chỉ thị'), ('document_type', 4, 'QC', 'Quy chế'),
  ('document_type', 5, 'QyĐ', 'Quy định'), ('document_type', 6, 'TC', 'Thông cáo'),
  ('document_type', 7, 'TB', 'Thông báo'), ('document_type', 8, 'HD', 'Hướng dẫn'),
  ('document_type', 9, 'CTr', 'Chương trình'), ('document_type', 10, 'KH', 'Kế hoạch'),
  ('document_type', 11, 'PA', 'Phương án'), ('document_type', 12, 'ĐA', 'Đề án'),
  ('document_type', 13, 'DA', 'Dự án'), ('document_type', 14, 'BC', 'Báo cáo'),
  ('document_type', 15, 'BB', 'Biên bản'), ('document_type', 16, 'TTr', 'Tờ trình'),
  ('document_type', 17, 'HĐ', 'Hợp đồng'), ('document_type', 18, '', 'Công văn'),
  ('document_type', 19, 'CĐ', 'Công điện'), ('document_type', 20, 'BGN', 'Bản ghi nhớ'),
  ('document_type', 21, 'BTT', 'Bản thỏa thuận'), ('document_type', 22, 'GUQ', 'Giấy ủy quyền'),
  ('document_type', 23, 'GM', 'Giấy mời'), ('document_type', 24, 'GGT', 'Giấy giới thiệu'),
  ('document_type', 25, 'GNP', 'Giấy nghỉ phép'), ('document_type', 26, 'PG', 'Phiếu gửi'),
  ('document_type', 27, 'PC', 'Phiếu chuyển'), ('document_type', 28, 'PB', 'Phiếu báo'),
  ('document_type', 29, '', 'Thư công'),
  ('urgency', 1, '', 'Khẩn'), ('urgency', 2, '', 'Thượng khẩn'), ('urgency', 3, '', 'Hỏa tốc'),
  ('urgency', 4, '', 'Hỏa tốc hẹn giờ'),
  ('secrecy', 1, '', 'Mật'), ('secrecy', 2, '', 'Tối mật'), ('secrecy', 3, '', 'Tuyệt mật'),
  ('field', 1, '', 'Tổ chức cán bộ'), ('field', 2, '', 'Tài chính'), ('field', 3, '', 'Kế hoạch và đầu tư'),
  ('field', 4, '', 'Văn hóa, xã hội'), ('field', 5, '', 'Tổng hợp');
