#!/usr/bin/env bash
# Runs a command against a live assistant: action server + Rasa server (REST, API with a token).
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2
export RASA_TOKEN="${RASA_TOKEN:-eval-token}"
mkdir -p reports
.venv/bin/rasa run actions --actions actions > reports/actions.log 2>&1 &
actions_pid=$!
.venv/bin/rasa run --enable-api --auth-token "$RASA_TOKEN" --model models/numbness.tar.gz -p 5005 \
  --endpoints endpoints.yml > reports/rasa.log 2>&1 &
rasa_pid=$!
trap 'kill $actions_pid $rasa_pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  if curl -sf http://127.0.0.1:5005/status?token="$RASA_TOKEN" >/dev/null 2>&1; then break; fi
  if ! kill -0 $rasa_pid 2>/dev/null; then echo "rasa server failed to start:"; tail -30 reports/rasa.log; exit 1; fi
  sleep 1
done
"$@"
