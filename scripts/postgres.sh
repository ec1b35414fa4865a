#!/usr/bin/env bash
# Makes a PostgreSQL server available on 127.0.0.1:5432 for the tests and for local clusters, on a Debian
# machine where we are root. Safe to run again: every step checks before it changes anything.
#
#   scripts/postgres.sh            install if missing, start cluster 15/main, create role `sweep` and
#                                  database `sweep_test`; the LAST line of stdout is the export line for the
#                                  tests:  export SWEEP_TEST_POSTGRES=postgres://sweep:...@127.0.0.1:5432/sweep_test
#   scripts/postgres.sh stop       stop the server
#   scripts/postgres.sh restart    restart it and wait until it accepts connections (used by the fault tests)
#
# The password comes from SWEEP_PG_PASSWORD; when that is unset, one is generated on the first run and kept
# in /var/lib/sweepcluster/pg-password (root only), so later runs and the role agree. It is never written
# into the repository, and it only reaches psql through standard input, never its command line (which any
# user can read in ps). Everything but the export line goes to stderr, so `eval "$(scripts/postgres.sh)"`
# works.
set -euo pipefail

readonly PG_VERSION=15
readonly PG_CLUSTER=main
readonly PG_PORT=5432
readonly ROLE=sweep
readonly DATABASE=sweep_test
readonly PASSWORD_FILE=/var/lib/sweepcluster/pg-password
# Loaded after postgresql.conf (Debian's include_dir), so our settings win without editing the packaged file.
readonly CONF_FILE=/etc/postgresql/${PG_VERSION}/${PG_CLUSTER}/conf.d/sweepcluster.conf
readonly READY_TIMEOUT_S=60

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# From /, which the postgres user can always enter (it cannot read /root or some work trees).
as_postgres() { (cd / && runuser -u postgres -- "$@"); }

ensure_installed() {
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d "/usr/lib/postgresql/${PG_VERSION}/bin" ]; then
    return
  fi
  log "installing postgresql with apt"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  command -v pg_ctlcluster >/dev/null 2>&1 || die "pg_ctlcluster is still missing after installing postgresql"
  [ -d "/usr/lib/postgresql/${PG_VERSION}/bin" ] \
    || die "apt installed PostgreSQL $(ls /usr/lib/postgresql 2>/dev/null | tr '\n' ' ')but this script runs version ${PG_VERSION}"
}

ensure_cluster() {
  if ! pg_lsclusters --no-header 2>/dev/null | awk '{print $1" "$2}' | grep -qx "${PG_VERSION} ${PG_CLUSTER}"; then
    log "creating cluster ${PG_VERSION}/${PG_CLUSTER}"
    pg_createcluster "${PG_VERSION}" "${PG_CLUSTER}" --port "${PG_PORT}" >&2
  fi
}

# Writes our settings; prints "changed" when the file is new or different, so a running server is restarted
# to pick up listen_addresses and max_connections (both need a restart).
ensure_config() {
  local wanted
  # Loopback only: this server holds test data and local sweeps and has no business on other interfaces.
  # 200 connections: every store is a pool, and the tests run several stores and up to 32 claimers at once.
  wanted="# Written by scripts/postgres.sh; edits are overwritten.
listen_addresses = '127.0.0.1'
port = ${PG_PORT}
max_connections = 200"
  if [ -f "${CONF_FILE}" ] && [ "$(cat "${CONF_FILE}")" = "${wanted}" ]; then
    return
  fi
  install -d -o postgres -g postgres "$(dirname "${CONF_FILE}")"
  printf '%s\n' "${wanted}" > "${CONF_FILE}"
  chown postgres:postgres "${CONF_FILE}"
  echo changed
}

is_running() {
  pg_lsclusters --no-header 2>/dev/null | awk -v v="${PG_VERSION}" -v c="${PG_CLUSTER}" '$1 == v && $2 == c {print $4}' | grep -qx online
}

wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until pg_isready -q -h 127.0.0.1 -p "${PG_PORT}"; do
    if [ "${SECONDS}" -ge "${deadline}" ]; then
      die "the server did not accept connections on 127.0.0.1:${PG_PORT} within ${READY_TIMEOUT_S} s (see /var/log/postgresql/postgresql-${PG_VERSION}-${PG_CLUSTER}.log)"
    fi
    sleep 0.2
  done
}

start_server() {
  local config_changed=$1
  if is_running; then
    if [ "${config_changed}" = changed ]; then
      log "restarting ${PG_VERSION}/${PG_CLUSTER} to apply ${CONF_FILE}"
      pg_ctlcluster "${PG_VERSION}" "${PG_CLUSTER}" restart >&2
    fi
  else
    log "starting ${PG_VERSION}/${PG_CLUSTER}"
    pg_ctlcluster "${PG_VERSION}" "${PG_CLUSTER}" start >&2
  fi
  wait_ready
}

password() {
  if [ -n "${SWEEP_PG_PASSWORD:-}" ]; then
    printf '%s' "${SWEEP_PG_PASSWORD}"
    return
  fi
  if [ ! -s "${PASSWORD_FILE}" ]; then
    log "generating a password in ${PASSWORD_FILE}"
    install -d -m 700 "$(dirname "${PASSWORD_FILE}")"
    # Letters and digits only, so the password needs no escaping in a URL or a connection string.
    (umask 077 && tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 32 > "${PASSWORD_FILE}")
  fi
  chmod 600 "${PASSWORD_FILE}"
  cat "${PASSWORD_FILE}"
}

# Percent-encodes everything but unreserved characters (RFC 3986), for a password from the environment.
url_encode() {
  local text=$1 out="" c i
  for ((i = 0; i < ${#text}; i++)); do
    c=${text:i:1}
    case "${c}" in
      [A-Za-z0-9._~-]) out+="${c}" ;;
      *) out+=$(printf '%%%02X' "'${c}") ;;
    esac
  done
  printf '%s' "${out}"
}

ensure_role_and_database() {
  local pw=$1 escaped
  # Inside a quoted psql argument a quote is doubled and a backslash escapes, as in an SQL literal.
  escaped=${pw//\\/\\\\}
  escaped=${escaped//\'/\'\'}
  # The password reaches psql on standard input as a psql variable, never on its command line (which any
  # user can read in ps); :'pw' quotes it as an SQL literal. It is set on every run so that a changed
  # SWEEP_PG_PASSWORD takes effect.
  {
    printf '%s\n' "\\set pw '${escaped}'"
    cat <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" LOGIN PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
  } | as_postgres psql -X -q -v ON_ERROR_STOP=1 -v role="${ROLE}" -v db="${DATABASE}" -d postgres >&2
}

main() {
  [ "$(id -u)" -eq 0 ] || die "run as root (it installs packages and controls the server as the postgres user)"
  local command=${1:-start}
  case "${command}" in
    start)
      ensure_installed
      ensure_cluster
      local config_changed pw
      # Assigned first so that a failure inside the substitution stops the script (set -e).
      config_changed=$(ensure_config)
      start_server "${config_changed}"
      pw=$(password)
      ensure_role_and_database "${pw}"
      log "ready on 127.0.0.1:${PG_PORT}, database ${DATABASE} owned by ${ROLE}"
      echo "export SWEEP_TEST_POSTGRES=postgres://${ROLE}:$(url_encode "${pw}")@127.0.0.1:${PG_PORT}/${DATABASE}"
      ;;
    stop)
      if is_running; then
        pg_ctlcluster "${PG_VERSION}" "${PG_CLUSTER}" stop -m fast >&2
      fi
      log "stopped"
      ;;
    restart)
      # Fast mode: sessions are terminated (SQLSTATE 57P01) as on a real failover, not waited for.
      if is_running; then
        pg_ctlcluster "${PG_VERSION}" "${PG_CLUSTER}" restart -m fast >&2
      else
        pg_ctlcluster "${PG_VERSION}" "${PG_CLUSTER}" start >&2
      fi
      wait_ready
      log "restarted"
      ;;
    *)
      die "unknown command '${command}' (expected start, stop or restart)"
      ;;
  esac
}

main "$@"
