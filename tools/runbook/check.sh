#!/usr/bin/env bash
# Runs the HTTP commands of docs/RUNBOOK.md, top to bottom, against a live node, exactly as README's
# "Runbook, command by command" shows them (the runbook's curl plus the Authorization header where the
# node requires one), and checks each answer. Exit 0 when every step passed, 1 otherwise.
#
#   tools/runbook/check.sh                      # node on localhost:8080/9090, token from data/admin.token
#   POUW_URL=https://node:8443 POUW_METRICS_URL=http://node:9090 POUW_TOKEN=... tools/runbook/check.sh
#   tools/runbook/check.sh --write              # also the steps that change live state (see below)
#
# Read-only by default: only GETs and the maintenance dry run. With --write it also runs the runbook's
# changing steps, each of which puts back what it changed: the TTL and rate-limit overrides (only when
# no override of that setting is in place, which is then left alone), block and unblock of
# did:sov:malicious (only when it is not blocked already), the reload, and with DISPUTE_ID the
# dispute's resolution (which credits its 100 SOV: never against a real dispute you did not mean to
# resolve). Optional: DISPUTE_ID (an open dispute), RECEIPT_ID and CLIENT_DID run the "Dispute
# Handling" steps against real rows; POUW_LOG_FILE runs the rate-limit log grep. Steps that cannot run
# are reported as skipped.
set -uo pipefail

WRITE=0
for arg in "$@"; do
  case "$arg" in
    --write) WRITE=1 ;;
    -h|--help) sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) echo "check.sh: unknown argument $arg (--write, --help)" >&2; exit 64 ;;
  esac
done

URL=${POUW_URL:-http://localhost:8080}
METRICS_URL=${POUW_METRICS_URL:-http://localhost:9090}
TOKEN=${POUW_TOKEN:-$(cat "${POUW_DATA_DIR:-data}/admin.token" 2>/dev/null || true)}
AUTH="Authorization: Bearer $TOKEN"
failures=0 passed=0 skipped=0
body=$(mktemp); trap 'rm -f "$body"' EXIT

ok()   { passed=$((passed + 1)); echo "ok    $*"; }
fail() { failures=$((failures + 1)); echo "FAIL  $*"; sed 's/^/      /' "$body" | head -5; }
skip() { skipped=$((skipped + 1)); echo "skip  $*"; }

# expect STATUS DESCRIPTION curl-args... : runs curl, keeps the body in $body, checks the status code
expect() {
  local want=$1 what=$2; shift 2
  local got; got=$(curl -s -o "$body" -w '%{http_code}' "$@") || got="curl-error-$?"
  if [ "$got" = "$want" ]; then ok "$what ($got)"; else fail "$what: wanted $want, got $got"; fi
}
# jq_true EXPR DESCRIPTION : the last body satisfies a jq boolean expression
jq_true() {
  if jq -e "$1" "$body" >/dev/null 2>&1; then ok "$2"; else fail "$2 (jq: $1)"; fi
}

[ -n "$TOKEN" ] || { echo "no admin token: set POUW_TOKEN or POUW_DATA_DIR" >&2; exit 1; }

# overridden KNOB: whether a live override of this setting is in place now (then --write leaves it alone)
overridden() {
  curl -s -H "$AUTH" "$URL/api/v1/admin/settings" | jq -e --arg k "$1" '.settings[$k].source == "override"' >/dev/null 2>&1
}
writing() { [ "$WRITE" = 1 ] || { skip "$1 (changes live state: run with --write)"; return 1; }; }

echo "== Quick Reference: health check endpoints"
expect 200 "GET /health/live" "$URL/health/live"
expect 200 "GET /health/ready" "$URL/health/ready"
expect 200 "GET /health" "$URL/health"
jq_true '.status == "healthy" and (.version|type) == "string" and (.uptime_seconds|type) == "number" and (.components|length) >= 4' \
  "/health has status, version, uptime_seconds, components"

echo "== 1. Check service status: curl -s $URL/health | jq ."
curl -s "$URL/health" | jq . >/dev/null && ok "/health is JSON for jq" || fail "/health through jq"

echo "== 2. View current metrics: curl -s $METRICS_URL/metrics | grep pouw_"
expect 200 "GET /metrics" "$METRICS_URL/metrics"
for family in pouw_receipts_received_total pouw_receipts_rejected_total pouw_rate_limit_denials_total pouw_challenges_issued_total; do
  grep -q "^$family" "$body" && ok "metrics carry $family" || fail "metrics lack $family"
done

echo "== High Rejection Rate Alert: rejection reasons"
reasons=$(grep -c '^pouw_receipts_rejected_total{reason=' "$body")
[ "$reasons" -ge 8 ] && ok "all $reasons rejection reasons are exported" || fail "only $reasons rejection reasons exported"
echo "   expired_challenge -> increase TTL temporarily"
if writing "PATCH challenge_ttl_secs"; then
  if overridden challenge_ttl_secs; then
    skip "PATCH challenge_ttl_secs: an override is in place; left as it is"
  else
    expect 200 "PATCH /api/v1/admin/settings challenge_ttl_secs for an hour" -X PATCH "$URL/api/v1/admin/settings" \
      -H "$AUTH" -H "Content-Type: application/json" -d '{"challenge_ttl_secs": 600, "expires_in_secs": 3600}'
    expect 200 "PATCH /api/v1/admin/settings back to the configured TTL" -X PATCH "$URL/api/v1/admin/settings" \
      -H "$AUTH" -H "Content-Type: application/json" -d '{"challenge_ttl_secs": null}'
  fi
fi

echo "== Rate Limit Storm Alert"
if [ -z "${POUW_LOG_FILE:-}" ]; then
  skip "log grep (set POUW_LOG_FILE)"
elif [ ! -r "$POUW_LOG_FILE" ]; then
  fail "log grep: cannot read $POUW_LOG_FILE"
else
  grep "rate limit exceeded" "$POUW_LOG_FILE" | awk '{print $NF}' | sort | uniq -c | sort -rn | head -10 >"$body"
  if [ -s "$body" ]; then
    ok "top offenders from $POUW_LOG_FILE: $(wc -l <"$body") line(s)"; sed 's/^/      /' "$body"
  else
    skip "log grep: no 'rate limit exceeded' lines in $POUW_LOG_FILE (no storm to look at)"
  fi
fi
expect 200 "GET /api/v1/admin/settings" -H "$AUTH" "$URL/api/v1/admin/settings"
if writing "PATCH rate limits"; then
  if overridden rate_limit_ip || overridden rate_limit_did; then
    skip "PATCH rate limits: an override is in place; left as it is"
  else
    expect 200 "PATCH /api/v1/admin/settings temporarily raise limits" -X PATCH "$URL/api/v1/admin/settings" \
      -H "$AUTH" -H "Content-Type: application/json" -d '{"rate_limit_ip": 1000, "rate_limit_did": 500, "expires_in_secs": 900}'
    expect 200 "GET /api/v1/admin/settings shows the overrides" -H "$AUTH" "$URL/api/v1/admin/settings"
    expect 200 "PATCH /api/v1/admin/settings drop the limit overrides" -X PATCH "$URL/api/v1/admin/settings" \
      -H "$AUTH" -H "Content-Type: application/json" -d '{"rate_limit_ip": null, "rate_limit_did": null}'
  fi
fi

echo "== Database Connection Issues: the database component"
expect 200 "GET /health" "$URL/health"
jq_true 'any(.components[]; .name == "database" and .status == "healthy")' "database component is healthy"

echo "== Maintenance Procedures: retention on demand (the SQL also runs unchanged)"
expect 200 "POST /api/v1/admin/maintenance dry_run" -X POST "$URL/api/v1/admin/maintenance" \
  -H "$AUTH" -H "Content-Type: application/json" -d '{"dry_run": true}'

echo "== Certificate Renewal: systemctl reload pouw-node calls"
if writing "POST /api/v1/admin/reload"; then
  expect 200 "POST /api/v1/admin/reload" -X POST -H "$AUTH" "$URL/api/v1/admin/reload"
fi

echo "== Dispute Handling"
expect 200 "View open disputes" -H "$AUTH" "$URL/api/v1/pouw/disputes?status=open"
jq_true '.items | type == "array"' "the list is {items: [...]}"
if [ -n "${DISPUTE_ID:-}" ]; then
  expect 200 "Get dispute details" -H "$AUTH" "$URL/api/v1/pouw/disputes/$DISPUTE_ID"
  jq_true ".dispute_id == \"$DISPUTE_ID\"" "the dispute is the one asked for"
else
  skip "dispute details (set DISPUTE_ID)"
fi
if [ -n "${RECEIPT_ID:-}" ]; then
  expect 200 "Get related receipt" -H "$AUTH" "$URL/api/v1/pouw/receipts/$RECEIPT_ID"
else
  skip "related receipt (set RECEIPT_ID)"
fi
if [ -n "${CLIENT_DID:-}" ]; then
  expect 200 "Get client history" -H "$AUTH" "$URL/api/v1/pouw/clients/$CLIENT_DID/history"
else
  skip "client history (set CLIENT_DID)"
fi
if [ -z "${DISPUTE_ID:-}" ]; then
  skip "resolve dispute (set DISPUTE_ID)"
elif writing "resolve dispute $DISPUTE_ID (credits 100 SOV)"; then
  resolve() {
    curl -s -o "$body" -w '%{http_code}' -X POST "$URL/api/v1/pouw/disputes/$DISPUTE_ID/resolve" \
      -H "$AUTH" \
      -H "Content-Type: application/json" \
      -d '{
        "resolution_type": "ClaimantCorrect",
        "explanation": "Verified bug in reward calculation",
        "compensation": {
          "amount": 100,
          "currency": "SOV"
        }
      }'
  }
  got=$(resolve); [ "$got" = 200 ] && ok "Resolve dispute ($got)" || fail "Resolve dispute: wanted 200, got $got"
  jq_true '.status == "resolved_for_claimant"' "resolved for the claimant"
  got=$(resolve); [ "$got" = 409 ] && ok "Resolving again is refused ($got)" || fail "Resolve again: wanted 409, got $got"
fi

echo "== Block Malicious Actor"
expect 200 "GET /api/v1/admin/blocked-dids" -H "$AUTH" "$URL/api/v1/admin/blocked-dids"
jq_true '.items | type == "array"' "the list is {items: [...]}"
if writing "block and unblock did:sov:malicious"; then
  if jq -e 'any(.items[]; .did == "did:sov:malicious")' "$body" >/dev/null 2>&1; then
    skip "block did:sov:malicious: it is blocked already; left blocked"
  else
    expect 200 "Block DID in application" -X POST "$URL/api/v1/admin/block-did" \
      -H "$AUTH" \
      -d '{"did": "did:sov:malicious"}'
    expect 200 "GET /api/v1/admin/blocked-dids" -H "$AUTH" "$URL/api/v1/admin/blocked-dids"
    jq_true 'any(.items[]; .did == "did:sov:malicious")' "did:sov:malicious is blocked"
    expect 200 "Unblock again" -X POST "$URL/api/v1/admin/unblock-did" -H "$AUTH" -d '{"did": "did:sov:malicious"}'
  fi
fi

echo "== Without a token the operator and admin commands are refused"
expect 401 "disputes without a token" "$URL/api/v1/pouw/disputes?status=open"
expect 401 "block-did without a token" -X POST "$URL/api/v1/admin/block-did" -d '{"did": "did:sov:malicious"}'

echo "runbook check: $passed passed, $failures failed, $skipped skipped"
[ "$failures" = 0 ]
