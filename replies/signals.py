"""Storage hygiene only: a reply deleted by a cascade (its letter, its campaign) takes its file."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from replies.models import Reply


@receiver(post_delete, sender=Reply)
def delete_reply_file(sender, instance: Reply, **kwargs) -> None:
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))
