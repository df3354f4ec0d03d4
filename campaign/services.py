"""Writes: the rules for campaigns and teams."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from campaign.models import Campaign, Team

# No 0/O, 1/I/L: codes are read aloud in classrooms and copied from a board.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def _save_with_fresh_code(team: Team, **save_options) -> Team:
    """Save the team with a new random join code, drawing again on the rare collision."""
    for _ in range(5):
        team.join_code = new_join_code()
        try:
            with transaction.atomic():
                team.save(**save_options)
        except IntegrityError:
            continue
        return team
    raise RuntimeError("could not find a free join code")


def team_create(*, campaign: Campaign, name: str, coordinator: AbstractBaseUser) -> Team:
    """A team with a fresh random join code (31^8, about 850 billion codes: not guessable)."""
    team = Team(campaign=campaign, name=name, coordinator=coordinator)
    team.full_clean(exclude=["join_code"])
    limit = settings.TEAMS_PER_COORDINATOR_MAX
    if Team.objects.filter(campaign=campaign, coordinator=coordinator).count() >= limit:
        raise ValidationError(
            {
                "name": gettext(
                    "You already have %(count)d teams in this campaign, the most one coordinator "
                    "may create. Reuse a team, or ask an administrator."
                )
                % {"count": limit}
            }
        )
    return _save_with_fresh_code(team)


def team_change(*, team: Team, name: str, coordinator: AbstractBaseUser) -> Team:
    """Rename a team or give it another coordinator (administrators); the join code stays."""
    team.name = name
    team.coordinator = coordinator
    team.full_clean()
    team.save(update_fields=["name", "coordinator"])
    return team


def team_regenerate_code(*, team: Team) -> Team:
    """A new join code for the team; the old one stops working at once."""
    return _save_with_fresh_code(team, update_fields=["join_code"])


def campaign_set_paper_letters(*, campaign: Campaign, count: int) -> Campaign:
    """Record how many handwritten letters the coordinators counted by hand."""
    if count < 0 or count > 10_000_000:
        raise ValidationError(
            {"paper_letters": gettext("Enter a number between 0 and 10,000,000.")}
        )
    campaign.paper_letters = count
    campaign.save(update_fields=["paper_letters", "updated_at"])
    return campaign


def sender_email_check(*, email: str) -> None:
    """A campaign's email batches go out from its sender address, through this site's mail
    server: only from the domains the administrator configured (SENDER_EMAIL_DOMAINS), so a
    coordinator cannot send as a ministry, a newspaper or another school."""
    if not email:
        return
    domain = email.rpartition("@")[2].strip().lower().rstrip(".")
    allowed = settings.SENDER_EMAIL_DOMAINS
    if domain not in allowed:
        raise ValidationError(
            {
                "sender_email": gettext(
                    "Email batches can be sent only from an address at %(domains)s. "
                    "Ask an administrator if you need another domain."
                )
                % {"domains": ", ".join(allowed)}
            }
        )
