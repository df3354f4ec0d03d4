from django.apps import AppConfig


class RepliesConfig(AppConfig):
    name = "replies"
    verbose_name = "Replies"

    def ready(self) -> None:
        # The students' outbox builds this app's emails, and the campaign purge deletes its
        # non-public replies, through hooks: `letters` never imports `replies`.
        from campaign import content_cache
        from letters import retention, student_emails
        from letters import services as letter_services
        from replies import notifications, services, signals, tasks  # noqa: F401
        from replies.models import Reply

        # The public campaign page shows replies and their count (cached: campaign/content_cache).
        content_cache.connect(Reply)

        student_emails.register_message("reply_notice", notifications.reply_notice_message)
        student_emails.register_message("reply_question", notifications.reply_question_message)
        retention.register_purge_step(services.campaign_replies_purge)
        letter_services.register_letter_delete_step(services.letter_replies_delete)
