#!/usr/bin/env bash
# `make run`: action server in the background, `rasa shell` in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2
mkdir -p reports
.venv/bin/rasa run actions --actions actions > reports/actions.log 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true; wait $actions_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  if .venv/bin/python -c "import socket; socket.create_connection(('127.0.0.1', 5055), 1)" 2>/dev/null; then break; fi
  if ! kill -0 $actions_pid 2>/dev/null; then echo "action server failed to start:"; tail -20 reports/actions.log; exit 1; fi
  sleep 1
done
.venv/bin/rasa shell --model models/numbness.tar.gz --quiet "$@"
