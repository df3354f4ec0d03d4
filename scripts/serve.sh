#!/usr/bin/env bash
# Serve the app and a real Celery worker (with beat) together; Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Links in the emails the worker sends lead back to this server (make run passes SITE_URL too).
if [ -z "${SITE_URL:-}" ]; then
  case "$HOST" in 0.0.0.0|::) SITE_URL="http://127.0.0.1:${PORT}" ;; *) SITE_URL="http://${HOST}:${PORT}" ;; esac
fi
export SITE_URL
mkdir -p var
pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/celery -A config worker --beat --schedule var/celerybeat-schedule \
  --loglevel INFO --concurrency 2 --hostname "worker@%h" &
pids+=($!)
echo "Campaign Letters: http://${HOST}:${PORT}/   (admin: http://${HOST}:${PORT}/admin/)   Ctrl-C stops the server and the worker."
.venv/bin/python manage.py runserver "${HOST}:${PORT}" &
pids+=($!)
# Stop everything as soon as either process ends.
wait -n
