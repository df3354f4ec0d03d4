"""gunicorn's settings for the web server (deploy/campaign-letters-web.service, deploy/Procfile):
the app's log format for gunicorn's own lines, and the workers.

    gunicorn -c config/gunicorn_conf.py config.wsgi --bind 127.0.0.1:8000

Workers: processes for the cores, each with threads (gthread), so a page is not held up behind
a slow request in the same process (a PDF the worker has not stored yet, a slow database); PDFs
themselves are rendered by the Celery worker (letters.documents), not here. Measured on 2 cores
with benchmarks/load.py (see docs/performance.md): WEB_CONCURRENCY processes (default: 2 a core,
at least 2) of WEB_THREADS threads (default 4).

gunicorn's access log stays off: it would write each request's path, and a path can hold a
student's private-link token. The app logs each request with its route instead
(config.middleware.AccessLogMiddleware).
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

workers = env_int("WEB_CONCURRENCY", max(2, 2 * (os.cpu_count() or 1)), minimum=1)
worker_class = "gthread"
threads = env_int("WEB_THREADS", 4, minimum=1)
timeout = 60
