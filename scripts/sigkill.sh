#!/usr/bin/env bash
# SIGKILL under load: three "slipdesk serve" replicas by webhook on the
# Redis at REDIS_URL, users writing all the while, replicas killed and
# restarted; fails when a reply is missing or repeats beyond the window
# of a message the API took just before its process died.
#   bash scripts/sigkill.sh [-duration 20s -kills 5 -chats 12 -replicas 3]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
bin="$(mktemp -d)/slipdesk"
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/slipdesk
go run ./scripts/sigkill -bin "$bin" "$@"
