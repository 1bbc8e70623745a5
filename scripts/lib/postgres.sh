# A private PostgreSQL cluster for the demo: initdb/pg_ctl under a directory of ours, listening
# only on a Unix socket there. As root, the server runs as the `postgres` system user, since
# PostgreSQL refuses to run as root.

pg_bin=/usr/lib/postgresql/15/bin

pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# pg_init <dir>: initialise the cluster in <dir>/data unless it exists; the superuser is truc.
pg_init() {
  local dir
  mkdir -p "$1"
  dir=$(realpath "$1")
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    pg_as_owner "$pg_bin/initdb" -D "$dir/data" -U truc -A trust -E UTF8 --locale=C >/dev/null
  fi
}

# pg_start <dir>: initialise (first time) and start the cluster in <dir>/data, socket in <dir>.
pg_start() {
  local dir
  pg_init "$1"
  dir=$(realpath "$1")
  if ! pg_as_owner "$pg_bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    pg_as_owner "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir'" start >/dev/null
  fi
}

# pg_stop <dir>
pg_stop() {
  [[ -d "$1" ]] || return 0
  local dir
  dir=$(realpath "$1")
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    pg_as_owner "$pg_bin/pg_ctl" -D "$dir/data" -w -m fast stop >/dev/null || true
  fi
}

# pg_drop_database <dir> <name>: drops it if it exists.
pg_drop_database() {
  psql -h "$(realpath "$1")" -U truc -d postgres -qc "DROP DATABASE IF EXISTS $2" 2>/dev/null
}

# pg_create_database <dir> <name> [owner]: creates it unless it exists, owned by <owner> if given
# (else by the cluster's superuser, truc).
pg_create_database() {
  local dir
  dir=$(realpath "$1")
  if ! psql -h "$dir" -U truc -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$2'" | grep -q 1; then
    psql -h "$dir" -U truc -d postgres -qc "CREATE DATABASE $2${3:+ OWNER $3}"
  fi
}

# pg_create_role <dir> <name>: creates a role that may log in (the socket is trusted, so without a
# password) unless it exists. Roles belong to the cluster and outlive its databases.
pg_create_role() {
  local dir
  dir=$(realpath "$1")
  if ! psql -h "$dir" -U truc -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$2'" | grep -q 1; then
    psql -h "$dir" -U truc -d postgres -qc "CREATE ROLE $2 LOGIN"
  fi
}
