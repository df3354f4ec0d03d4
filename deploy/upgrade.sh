#!/usr/bin/env bash
# Upgrade one machine to the code now in APP_DIR (docs/operations.md, "Upgrade"). Run as root:
#   cd /srv/campaign-letters && git pull --ff-only && sudo deploy/upgrade.sh
# Installs the locked dependencies, checks the settings, migrates the database, collects the
# static files, then restarts the services this machine runs. On several machines, run it on one
# first (it migrates), then on the others.
set -euo pipefail
APP_DIR=${APP_DIR:-/srv/campaign-letters}
cd "$APP_DIR"
manage() { APP_DIR="$APP_DIR" "$APP_DIR/deploy/manage" "$@"; }

"$APP_DIR/.venv/bin/python" -m pip install --quiet --require-hashes -r requirements.txt
manage check --deploy --fail-level WARNING
manage migrate --noinput
manage collectstatic --noinput
# gunicorn reloads gracefully (new workers with the new code, no dropped request); workers
# finish their tasks before they stop (TimeoutStopSec), and unfinished ones are delivered again.
if [ "${RESTART:-yes}" = yes ]; then
  for unit in campaign-letters-web campaign-letters-worker campaign-letters-beat; do
    if systemctl is-enabled --quiet "$unit" 2>/dev/null; then
      echo "reloading or restarting $unit"
      systemctl reload-or-restart "$unit"
    fi
  done
fi
