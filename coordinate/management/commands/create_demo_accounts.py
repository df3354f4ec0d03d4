"""Demo accounts for trying the app locally: an administrator and a coordinator.

Passwords are made at random the first time, kept in var/demo-accounts.json (not in git) and
printed on every run, so `make run` always shows working credentials.
"""

import json
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from campaign.models import Campaign, Team
from campaign.services import team_create

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
