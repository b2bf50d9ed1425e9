#!/usr/bin/env bash
# Runs every capture against a throw-away redis-server on loopback and writes
# interop/captured/{resque,scheduler,activejob-6.1}/.
#
#   RESQUE_LIB=/tmp/gems/resque/lib RESQUE_SCHEDULER_LIB=/tmp/gems/resque-scheduler/lib \
#     interop/capture.sh
#
# Optional:
#   INTEROP_REDIS_PORT   port of the private redis-server started here (default 6390; never 6379)
#   REDIS_URL            use this Redis instead of starting one. It is FLUSHDB'd,
#                        so it must be a database of your own; INTEROP_ALLOW_FLUSH=1 is required.
#   RESQUE_LIB_COMMIT, RESQUE_SCHEDULER_LIB_COMMIT   recorded in the VERSIONS files
#   ONLY="resque scheduler activejob"                 which captures to run
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
die() { echo "capture.sh: $*" >&2; exit 1; }

command -v ruby >/dev/null 2>&1 || die "ruby not found (apt-get install ruby ruby-redis ruby-redis-namespace ruby-multi-json ruby-mono-logger ruby-sinatra ruby-rufus-scheduler ruby-activejob ruby-globalid)"
command -v redis-cli >/dev/null 2>&1 || die "redis-cli not found (apt-get install redis-tools)"
[ -n "${RESQUE_LIB:-}" ] || die "RESQUE_LIB is not set (path to resque's lib/, e.g. /tmp/gems/resque/lib)"
[ -f "$RESQUE_LIB/resque.rb" ] || die "RESQUE_LIB=$RESQUE_LIB has no resque.rb"
[ -n "${RESQUE_SCHEDULER_LIB:-}" ] || die "RESQUE_SCHEDULER_LIB is not set (path to resque-scheduler's lib/)"
[ -f "$RESQUE_SCHEDULER_LIB/resque-scheduler.rb" ] || die "RESQUE_SCHEDULER_LIB=$RESQUE_SCHEDULER_LIB has no resque-scheduler.rb"
[ -f "$RESQUE_SCHEDULER_LIB/../exe/resque-scheduler" ] || die "no exe/resque-scheduler next to $RESQUE_SCHEDULER_LIB"
ruby -e 'require "redis"; require "redis-namespace"; require "multi_json"; require "mono_logger"; require "rufus-scheduler"' \
  || die "a Ruby dependency is missing (Debian packages ruby-redis ruby-redis-namespace ruby-multi-json ruby-mono-logger ruby-rufus-scheduler)"
export RESQUE_LIB RESQUE_SCHEDULER_LIB

server_pid=""
workdir=""
cleanup() {
  if [ -n "$server_pid" ]; then
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [ -n "$workdir" ] && rm -rf "$workdir"
}
trap cleanup EXIT

if [ -n "${REDIS_URL:-}" ]; then
  [ "${INTEROP_ALLOW_FLUSH:-}" = 1 ] || die "REDIS_URL=$REDIS_URL would be FLUSHDB'd; set INTEROP_ALLOW_FLUSH=1 if that is fine"
else
  command -v redis-server >/dev/null 2>&1 || die "redis-server not found (apt-get install redis-server)"
  port="${INTEROP_REDIS_PORT:-6390}"
  [ "$port" != 6379 ] || die "refusing port 6379"
  if redis-cli -p "$port" ping >/dev/null 2>&1; then die "something already listens on 127.0.0.1:$port"; fi
  workdir="$(mktemp -d)"
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$workdir" \
    --logfile "$workdir/redis.log" &
  server_pid=$!
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$port" ping >/dev/null 2>&1 || die "redis-server did not start on port $port"
  export REDIS_URL="redis://127.0.0.1:$port/0"
fi

cd "$here/.."
for what in ${ONLY:-resque scheduler activejob}; do
  echo "== capture_$what.rb"
  rm -rf "interop/captured/$( [ "$what" = activejob ] && echo activejob-6.1 || echo "$what" )"
  ruby "interop/ruby/capture_$what.rb"
done
echo "done; captured files are under interop/captured/"
