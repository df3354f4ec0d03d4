"""Coordinators' accounts: what an account keeps beyond Django's user, and teachers' requests
to coordinate (an administrator approves or declines them in the admin)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    """The language the person's emails are written in, and when their address was verified."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account"
    )
    language = models.CharField(
        _("Language of your emails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Password resets, address changes and invitations are written in it."),
    )
    email_verified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a link sent to the account's address was opened (an invitation, a "
        "confirmation of a new address).",
    )
    # An address change waits here until the link sent to the new address is opened; the
    # address it replaced is kept to tell it of the change.
    pending_email = models.EmailField(blank=True)
    previous_email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return f"Account of {self.user}"


class CoordinatorRequest(models.Model):
    """A teacher asks to coordinate; approval emails them a link to create their account."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an administrator")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("Your name"), max_length=150)
    school = models.CharField(_("School or organisation"), max_length=200)
    email = models.EmailField(_("Email address"))
    reason = models.TextField(_("Why you would like to coordinate"), max_length=2000)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language the request was written in: the answer is written in it.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    campaign = models.ForeignKey(
        "campaign.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Optional: a campaign the teacher will coordinate once they accept. Without "
        "one they create an account and start campaigns of their own.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The account link sent on approval (when no campaign was chosen), single use.
    token = models.CharField(max_length=64, blank=True, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.school})"

    @property
    def link_is_usable(self) -> bool:
        return bool(
            self.token
            and self.used_at is None
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )
