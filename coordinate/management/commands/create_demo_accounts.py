"""Demo accounts for trying the app locally: an administrator and a coordinator.

Passwords are made at random the first time, kept in var/demo-accounts.json (not in git) and
printed on every run, so `make run` always shows working credentials.

The first campaign also becomes a demo one can send email from: it gets a sender address (if it
has none) and a demo office with an email address. In development email is written to files
(var/mail/, settings.EMAIL_FILE_PATH), so an email batch ends there, to be opened.
"""

import json
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from campaign.models import Campaign, Official, Team
from campaign.services import team_create

#: An office whose email stays on this machine (example.org never receives mail, and in
#: development nothing is sent at all: the file backend writes each message to var/mail/).
DEMO_OFFICE = {
    "slug": "demo-office",
    "office_en": "Demo Office (its email stays on this computer)",
    "office_es": "Oficina de demostración (su correo se queda en este ordenador)",
    "addressed_title_en": "The Demo Office",
    "addressed_title_es": "La Oficina de demostración",
    "salutation_en": "Dear Demo Office",
    "salutation_es": "Estimada Oficina de demostración",
    "postal_address": "1 Example Street\nSpringfield, ST 00000",
    "delivery_email": "demo.office@example.org",
}

ACCOUNTS = {
    "admin": {"is_staff": True, "is_superuser": True, "email": "admin@example.org"},
    "coordinator": {"is_staff": False, "is_superuser": False, "email": "coordinator@example.org"},
}
DEMO_TEAM = "Demo class"


class Command(BaseCommand):
    help = "Create (or reset) the demo administrator and coordinator, and print their credentials."

    @transaction.atomic
    def handle(self, *args, **options):
        store = settings.VAR_DIR / "demo-accounts.json"
        store.parent.mkdir(parents=True, exist_ok=True)
        passwords = json.loads(store.read_text()) if store.exists() else {}
        users = get_user_model().objects
        for username, flags in ACCOUNTS.items():
            password = passwords.get(username) or secrets.token_urlsafe(9)
            passwords[username] = password
            user = users.filter(username=username).first() or users.model(username=username)
            for name, value in flags.items():
                setattr(user, name, value)
            user.set_password(password)
            user.save()
        store.write_text(json.dumps(passwords, indent=2))
        store.chmod(0o600)

        coordinator = users.get(username="coordinator")
        for campaign in Campaign.objects.all():
            campaign.coordinators.add(coordinator)
        first = Campaign.objects.order_by("pk").first()
        team = None
        if first is not None:
            team = Team.objects.filter(campaign=first, name=DEMO_TEAM).first()
            if team is None:
                team = team_create(campaign=first, name=DEMO_TEAM, coordinator=coordinator)

        if first is not None:
            self._make_sendable(first)

        self.stdout.write(self.style.SUCCESS("Demo accounts (local use only):"))
        self.stdout.write(f"  administrator: admin / {passwords['admin']}   -> /admin/")
        self.stdout.write(
            f"  coordinator:   coordinator / {passwords['coordinator']}   -> /accounts/login/"
        )
        if team is not None:
            self.stdout.write(f"  team code for “{team.name}” in “{first.title}”: {team.join_code}")
        if settings.ADMIN_REQUIRE_TWO_FACTOR:
            self.stdout.write(
                "  ADMIN_REQUIRE_TWO_FACTOR is on: the admin asks `admin` to add an authenticator "
                "app first (ADMIN_REQUIRE_TWO_FACTOR=false, or DEBUG=true, turns it off)."
            )
        if first is not None and settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write(
                f"  “{first.title}” writes to the demo office too: an email batch lands in "
                f"{settings.EMAIL_FILE_PATH}/ (one .log file per run of the worker)."
            )

    def _make_sendable(self, campaign: Campaign) -> None:
        """A sender address and an office with an email address: an email batch can go."""
        office = Official.objects.filter(slug=DEMO_OFFICE["slug"]).first()
        if office is None:
            office = Official(**DEMO_OFFICE)
            office.full_clean()
            office.save()
        campaign.targets.add(office)
        if not campaign.sender_email:
            domain = settings.SENDER_EMAIL_DOMAINS[0]
            campaign.sender_name = campaign.sender_name or "Campaign Letters demo"
            campaign.sender_email = f"letters@{domain}"
            campaign.full_clean()
            campaign.save(update_fields=["sender_name", "sender_email", "updated_at"])
