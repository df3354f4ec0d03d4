"""gunicorn's settings for the web server (deploy/campaign-letters-web.service, deploy/Procfile):
the app's log format for gunicorn's own lines, and the workers.

    gunicorn -c config/gunicorn_conf.py config.wsgi --bind 127.0.0.1:8000

Workers: WEB_CONCURRENCY processes (default: one a core, plus one) of WEB_THREADS threads
(default 8). Students' PDFs are rendered by the Celery worker (letters.documents): a download
that comes before the worker is done waits for the file in its thread, asleep, while the
process's other threads serve pages. Measured on the 2-core machine with benchmarks/load.py at
50 students, 1 s think, the worker rendering every PDF (docs/performance.md): 3 sync processes
gave pages a p95 of 94-361 ms (each waiting download held a whole process), 3 processes of 8
threads 59-208 ms.
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
threads = env_int("WEB_THREADS", 8, minimum=1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = 60
