#!/usr/bin/env bash
# npm run conformance: The Guild's federation-gateway-audit (../shared/federation-audit, or
# FEDERATION_AUDIT_DIR) against our gateway, with the governance pipeline on (GOVERNANCE=true, the
# default) or off (GOVERNANCE=false); TEST_SUITE=<id> runs one suite. Prints the audit's
# per-suite results and its "Passed: N" / "Failed: N" summary. Needs jq and unshare: the audit kills
# whatever holds port 4000, so it runs in a network and PID namespace of its own.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
# shared/ sits beside the main checkout (a worktree's main checkout is its git directory's parent).
main=$(dirname "$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir)")
audit=${FEDERATION_AUDIT_DIR:-$main/../shared/federation-audit}
work=$(mktemp -d)
keep_logs() { [[ -n "${CONFORMANCE_LOGS:-}" ]] && mkdir -p "$CONFORMANCE_LOGS" && cp -r "$work/audit/gateways/ours/logs/." "$CONFORMANCE_LOGS/" 2>/dev/null; rm -rf "$work"; }
trap keep_logs EXIT
cp -r "$audit" "$work/audit"
chmod -R u+w "$work/audit"
cd "$work/audit"
npm install --no-audit --no-fund --loglevel=error >/dev/null
# Inside the namespace there is no PostgreSQL or Redis: budgets in memory, the audit trail in PGlite.
export OUR_GATEWAY_CMD="env -u DATABASE_URL -u REDIS_URL RUN_MODE=embedded DATA_DIR=$work/data GOVERNANCE=${GOVERNANCE:-true} LOG_LEVEL=warn bash $repo/scripts/conformance/gateway.sh"
export NODE_OPTIONS="--import $work/audit/polyfill.mjs"
export GATEWAY_TIMEOUT=${GATEWAY_TIMEOUT:-180000}
target=test-ours
[[ -n "${TEST_SUITE:-}" ]] && target=test-suite-ours
unshare -rnpf --mount-proc bash -c "ip link set lo up; make -s $target TEST_SUITE=${TEST_SUITE:-}"
