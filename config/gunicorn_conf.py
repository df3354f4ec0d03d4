"""gunicorn settings a command line cannot hold: the app's log format for gunicorn's own lines.

    gunicorn -c config/gunicorn_conf.py config.wsgi --bind 127.0.0.1:8000 --workers 4

gunicorn's access log stays off: it would write each request's path, and a path can hold a
student's private-link token. The app logs each request with its route instead
(config.middleware.AccessLogMiddleware).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.env import env_choice
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
