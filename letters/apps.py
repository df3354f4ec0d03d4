from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = "Letters"

    def ready(self) -> None:
        # Register the tasks in every process (web too): services queue them by name.
        # Whether a campaign takes letters, and in which languages, follows its templates.
        from campaign import content_cache
        from letters import tasks  # noqa: F401
        from letters.models import LetterTemplate

        content_cache.connect(LetterTemplate)
