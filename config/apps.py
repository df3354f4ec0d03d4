from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project's own checks and tasks (config/checks.py, config/tasks.py)."""

    name = "config"
    verbose_name = "Campaign Letters configuration"

    def ready(self) -> None:
        import logging

        from config import (
            checks,  # noqa: F401 - registers the system checks
            tasks,  # noqa: F401 - registers the heartbeat, as the apps do theirs
        )

        # Python's warnings are logged in the app's format (config/logs.py) like the rest.
        logging.captureWarnings(True)
