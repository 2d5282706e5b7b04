#!/usr/bin/env bash
# Make sure the services behind distributed runs can be started here: PostgreSQL's server
# (initdb, pg_ctl) and redis-server, from Debian's packages postgresql and redis-server.
# Installs only what is missing, only as root with apt-get; safe to run again and from several
# processes at once (the test fixtures call it). Prints the two binaries' folders on success:
#   pg_bin=/usr/lib/postgresql/15/bin
#   redis_bin=/usr/bin
# Exit 1, with one line on stderr per missing service, when they cannot be had.
set -uo pipefail

find_pg_bin() {
  local d
  for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"; return 0
  fi
  return 1
}

find_redis_bin() {
  command -v redis-server >/dev/null 2>&1 && dirname "$(command -v redis-server)"
}

missing=()
find_pg_bin >/dev/null || missing+=(postgresql)
find_redis_bin >/dev/null || missing+=(redis-server)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    # One installer at a time (pytest-xdist workers call this together).
    exec 9>/tmp/zwgk-services.lock
    flock 9
    need=()
    for p in "${missing[@]}"; do
      case $p in
        postgresql) find_pg_bin >/dev/null || need+=(postgresql) ;;
        redis-server) find_redis_bin >/dev/null || need+=(redis-server) ;;
      esac
    done
    if [ "${#need[@]}" -gt 0 ]; then
      echo "services: installing ${need[*]} …" >&2
      # The packages' own clusters and daemons are not wanted: tests start throwaway ones.
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
          --no-install-recommends "${need[@]}"; } >/tmp/zwgk-services-apt.log 2>&1 \
        || echo "services: apt-get install ${need[*]} failed (see /tmp/zwgk-services-apt.log)" >&2
    fi
    flock -u 9
  fi
fi

status=0
if pg=$(find_pg_bin); then echo "pg_bin=$pg"; else
  echo "services: PostgreSQL server not found (Debian package postgresql)" >&2; status=1; fi
if rb=$(find_redis_bin); then echo "redis_bin=$rb"; else
  echo "services: redis-server not found (Debian package redis-server)" >&2; status=1; fi
exit $status
