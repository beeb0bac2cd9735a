#!/usr/bin/env bash
# The command the audit starts for each suite: our gateway on the supergraph file it names last.
cd "$(dirname "$0")/../.." && exec node --import tsx scripts/conformance/gateway.ts "$@"
