from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = "Letters"

    def ready(self) -> None:
        # Register the tasks in every process (web too): services queue them by name.
        from letters import tasks  # noqa: F401
