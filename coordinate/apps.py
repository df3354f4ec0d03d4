from django.apps import AppConfig


class CoordinateConfig(AppConfig):
    name = "coordinate"
    verbose_name = "Coordination"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # Register the tasks in every process (web too): services queue them by name.
        from coordinate import tasks  # noqa: F401

        # Sent per app with models: after the letters app's, when the permissions of campaign
        # and letters (installed before it) exist.
        post_migrate.connect(_sync_roles_once, sender=self.apps.get_app_config("letters"))


def _sync_roles_once(*, apps=None, **_kwargs) -> None:
    """After migrate: give the role groups the permissions coordinate/roles.py lists."""
    from django.apps import apps as installed_apps

    from coordinate.roles import sync_roles

    # A flush (between transactional tests) sends the signal without the migration state.
    sync_roles(apps=apps or installed_apps)
