# Used by scripts/test: a throwaway PostgreSQL server for the PostgreSQL pass, never one already
# running. Debian's postgresql is installed when missing (as scripts/test installs chromium).

postgres_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

ensure_postgres() {
  if [ -z "$(postgres_bin)" ]; then
    echo "== installing Debian's postgresql for the PostgreSQL pass"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
}

# Starts a server in a new temporary directory on a free port of 127.0.0.1, sets
# SPARKADS_TEST_POSTGRES_URL to its admin URL, and stops it (and removes it) when the script exits.
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user.
start_throwaway_postgres() {
  local bin port
  bin="$(postgres_bin)"
  PG_SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/sparkads-postgres.XXXXXX")"
  PG_AS=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$PG_SCRATCH"
    PG_AS=(runuser -u postgres --)
  fi
  port="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  trap stop_throwaway_postgres EXIT
  trap "exit 130" INT TERM  # so that the EXIT trap stops the server then too
  if ! "${PG_AS[@]}" "$bin/initdb" -D "$PG_SCRATCH/data" -U postgres -A trust -E UTF8 \
      --locale=C.UTF-8 --no-sync >"$PG_SCRATCH/initdb.log" 2>&1; then
    cat "$PG_SCRATCH/initdb.log" >&2
    return 1
  fi
  # Durability off (a throwaway server), and a time zone far from UTC: sparkads must set its own.
  if ! "${PG_AS[@]}" "$bin/pg_ctl" -D "$PG_SCRATCH/data" -l "$PG_SCRATCH/server.log" -w -t 60 \
      -o "-p $port -k $PG_SCRATCH -c listen_addresses=127.0.0.1 -c fsync=off \
          -c synchronous_commit=off -c full_page_writes=off -c timezone=America/St_Johns" \
      start >/dev/null; then
    cat "$PG_SCRATCH/server.log" >&2
    return 1
  fi
  PG_BIN="$bin"
  export SPARKADS_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
}

stop_throwaway_postgres() {
  if [ -n "${PG_SCRATCH:-}" ] && [ -d "$PG_SCRATCH" ]; then
    if [ -f "$PG_SCRATCH/data/postmaster.pid" ]; then
      "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_SCRATCH/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_SCRATCH"
  fi
}
