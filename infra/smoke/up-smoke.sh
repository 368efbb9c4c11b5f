#!/usr/bin/env bash
# The launcher's own test, run by `./nines test` after the Maven suite: what a newcomer does, on free ports and
# in a scratch data directory, with the jars the suite just built (so `up` finds nothing stale).
#   ./nines up --no-demo --slos infra/demo/slos is ready (the API answers) within 3 minutes;
#   a second `up` on the same data says Nines is already running;
#   spans from an OpenTelemetry SDK (the demo generator, run on its own) reach /api/v1/services/checkout/latency
#   within 90 seconds of the first one sent, and every demo SLO has counted events within that time;
#   `./nines token create`, a request with that token, `./nines token revoke`, the same request refused;
#   the streaming job started without a failover (its topics were provisioned before it subscribed);
#   Ctrl-C (SIGINT) stops every process the launcher started, and the launcher exits 0.
# Prints its figures; exits non-zero with the reason and the logs' tails on the first failure.
set -euo pipefail
set -m # job control: a background job keeps SIGINT, so the launcher gets the Ctrl-C this test sends it

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSION="0.1.0-SNAPSHOT"
READY_LIMIT_S=180
SPANS_LIMIT_S=90
STOP_LIMIT_S=90

say() { printf '\033[1m[smoke]\033[0m %s\n' "$*" >&2; }
HOME_DIR="$(mktemp -d "${TMPDIR:-/tmp}/nines-smoke.XXXXXX")"
export NINES_HOME="$HOME_DIR"
UP_LOG="$HOME_DIR/up.out"
LAUNCHER=""
DEMO=""

fail() {
  printf '\033[1;31m[smoke]\033[0m FAILED: %s\n' "$*" >&2
  tail -n 25 "$UP_LOG" >&2 2>/dev/null || true
  for f in "$HOME_DIR"/logs/*.log; do [[ -f "$f" ]] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done
  exit 1
}

cleanup() {
  [[ -z "$DEMO" ]] || kill "$DEMO" 2>/dev/null || true
  if [[ -n "$LAUNCHER" ]] && kill -0 "$LAUNCHER" 2>/dev/null; then kill -TERM "$LAUNCHER" 2>/dev/null || true; wait "$LAUNCHER" || true; fi
  # Anything the launcher could not stop must not outlive the test.
  if [[ -f "$HOME_DIR/run/pids" ]]; then awk '{print $1}' "$HOME_DIR/run/pids" | xargs -r kill -KILL 2>/dev/null || true; fi
  rm -rf "$HOME_DIR"
}
trap cleanup EXIT

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
export NINES_API_PORT="$(free_port)" NINES_OTLP_GRPC_PORT="$(free_port)" NINES_OTLP_HTTP_PORT="$(free_port)" \
  NINES_COLLECTOR_METRICS_PORT="$(free_port)" NINES_CLICKHOUSE_PORT="$(free_port)" NINES_KAFKA_PORT="$(free_port)" \
  NINES_KAFKA_CONTROLLER_PORT="$(free_port)"
API="http://127.0.0.1:$NINES_API_PORT"

now_ms() { date +%s%3N; }
elapsed_s() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
http_status() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "$2"; }

# 1. up, ready within the limit
say "./nines up --no-demo --slos infra/demo/slos (API on $NINES_API_PORT, data in $HOME_DIR)"
started="$(now_ms)"
"$ROOT/nines" up --no-demo --slos "$ROOT/infra/demo/slos" >"$UP_LOG" 2>&1 &
LAUNCHER=$!
until grep -q "Nines is up" "$UP_LOG"; do
  kill -0 "$LAUNCHER" 2>/dev/null || fail "the launcher exited during startup"
  (( $(now_ms) - started < READY_LIMIT_S * 1000 )) || fail "not ready within ${READY_LIMIT_S}s"
  sleep 0.5
done
ready_s="$(elapsed_s "$started")"
admin="$(cat "$HOME_DIR/admin.token")"
[[ "$(http_status "$admin" "$API/api/v1/services")" == 200 ]] || fail "the API does not answer /api/v1/services with 200"
say "ready in ${ready_s}s (limit ${READY_LIMIT_S}s)"

# 2. a second up on the same data refuses, naming the running one
if second="$("$ROOT/nines" up --no-demo 2>&1)"; then fail "a second ./nines up started"; fi
grep -q "already running" <<<"$second" || fail "a second ./nines up did not say Nines is running: $second"
say "a second up says: $(sed 's/\x1b\[[0-9;]*m//g' <<<"$second" | tail -n 1)"

# 3. spans from an OTel SDK appear within the limit
sent="$(now_ms)"
java -Xmx256m -cp "$ROOT/infra/target/infra-$VERSION.jar:$ROOT/infra/target/lib/*" io.nines.infra.demo.DemoTrafficMain \
  --endpoint="http://127.0.0.1:$NINES_OTLP_HTTP_PORT" --duration=150 >"$HOME_DIR/demo.out" 2>&1 &
DEMO=$!
count=0
until (( count > 0 )); do
  (( $(now_ms) - sent < SPANS_LIMIT_S * 1000 )) || fail "no checkout spans in the API ${SPANS_LIMIT_S}s after the SDK started sending"
  sleep 1
  count="$(curl -s -H "Authorization: Bearer $admin" "$API/api/v1/services/checkout/latency?quantiles=0.99" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).count||0)}catch(e){console.log(0)}})')"
done
spans_s="$(elapsed_s "$sent")"
say "checkout spans in the API ${spans_s}s after the SDK started sending (limit ${SPANS_LIMIT_S}s): count $count"

# every demo SLO the launcher loaded counts the demo's spans (so `./nines up` shows real budgets)
slo_totals() {
  local names; names="$(curl -s -H "Authorization: Bearer $admin" "$API/api/v1/slos?limit=100" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).slos.map(x=>x.name).join(" ")))')"
  for name in $names; do
    printf '%s=%s ' "$name" "$(curl -s -H "Authorization: Bearer $admin" "$API/api/v1/slos/$name/status" \
      | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).total||0)}catch(e){console.log(0)}})')"
  done
}
expected_slos="$(ls "$ROOT"/infra/demo/slos/*.yaml | xargs grep -h '^metadata:' | wc -l)"
until totals="$(slo_totals)"; (( $(wc -w <<<"$totals") == expected_slos )) && ! grep -qE '=0( |$)' <<<"$totals"; do
  (( $(now_ms) - sent < SPANS_LIMIT_S * 1000 )) || fail "demo SLOs without counted events ${SPANS_LIMIT_S}s after sending began: $totals"
  sleep 2
done
say "all $expected_slos demo SLOs count events $(elapsed_s "$sent")s after sending began: $totals"
kill "$DEMO" 2>/dev/null || true; wait "$DEMO" 2>/dev/null || true; DEMO=""

# The job subscribed to provisioned topics: no failover on the way (a missing topic restarts the job in a loop).
if grep -q "Triggering job failover" "$HOME_DIR/logs/streaming.log"; then fail "the streaming job failed over while starting"; fi

# 4. tokens from the CLI: created, used, revoked, refused
created="$("$ROOT/nines" token create --team=smoke --role=viewer --name=smoke 2>/dev/null)"
token="$(node -e 'const t=JSON.parse(process.argv[1]);console.log(t.token+" "+t.id)' "$created")"
viewer="${token% *}"; viewer_id="${token#* }"
[[ "$(http_status "$viewer" "$API/api/v1/services")" == 200 ]] || fail "a token from ./nines token create is refused"
"$ROOT/nines" token list | grep -q "$viewer_id" || fail "./nines token list does not list $viewer_id"
"$ROOT/nines" token revoke "$viewer_id" 2>/dev/null
[[ "$(http_status "$viewer" "$API/api/v1/services")" == 401 ]] || fail "a revoked token is still accepted"
say "token create / use / list / revoke / refused: ok"

# 5. Ctrl-C stops everything
pids="$(awk '{print $1}' "$HOME_DIR/run/pids")"
stopping="$(now_ms)"
kill -INT "$LAUNCHER"
for _ in $(seq 1 $((STOP_LIMIT_S * 2))); do kill -0 "$LAUNCHER" 2>/dev/null || break; sleep 0.5; done
kill -0 "$LAUNCHER" 2>/dev/null && fail "the launcher did not exit within ${STOP_LIMIT_S}s of Ctrl-C"
rc=0; wait "$LAUNCHER" || rc=$?
LAUNCHER=""
(( rc == 0 )) || fail "the launcher exited $rc after Ctrl-C"
for pid in $pids; do kill -0 "$pid" 2>/dev/null && fail "process $pid outlived Ctrl-C"; done
[[ ! -f "$HOME_DIR/run/nines.pid" ]] || fail "the pid file outlived Ctrl-C"
say "Ctrl-C stopped all $(wc -w <<<"$pids") processes in $(elapsed_s "$stopping")s"
say "passed: ready ${ready_s}s, spans visible ${spans_s}s"
