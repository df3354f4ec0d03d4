"""gunicorn's settings for the web server (deploy/campaign-letters-web.service, deploy/Procfile):
the app's log format for gunicorn's own lines, and the workers.

    gunicorn -c config/gunicorn_conf.py config.wsgi --bind 127.0.0.1:8000

Workers: WEB_CONCURRENCY processes (default: one a core, plus one) of WEB_THREADS threads (default
1: sync workers). Students' PDFs are rendered by the Celery worker (letters.documents), not here.
Measured on 2 cores with benchmarks/load.py at 50 students, 1 s think (docs/performance.md): 3
sync processes served 36.8 requests/s with the pages' p95 at 0.5-0.7 s, 4 processes of 4
threads 32.5 requests/s at 0.7-1.6 s, the machine 92-93% busy (shared) both times: on a busy
machine more requests at once only take turns for the same two cores.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import os

from config.env import env_choice, env_int
from config.logs import logging_config

logconfig_dict = logging_config(
    level=env_choice(
        "LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], upper=True
    ),
    log_format=env_choice("LOG_FORMAT", "plain", ["plain", "json"]),
)
accesslog = None
# No control socket (it would go to the home folder, read-only under systemd): reload with HUP.
control_socket_disable = True
# Workers are restarted now and then, so a slow leak cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200

workers = env_int("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1, minimum=1)
threads = env_int("WEB_THREADS", 1, minimum=1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = 60
