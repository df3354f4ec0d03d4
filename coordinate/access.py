"""Who may see what, in one place. Every coordinator view gets its objects through these helpers,
which return the object or raise 404: another coordinator's campaign, team, letter or batch
looks exactly like one that does not exist.

A campaign's coordinators (and superusers) see the whole campaign; a team's coordinator sees that
team's letters and batches only.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from campaign.models import Campaign, Team
from letters.models import Batch, Delivery, Letter
from replies.models import Reply


def coordinated_campaigns(user: AbstractBaseUser) -> QuerySet[Campaign]:
    if not user.is_authenticated:
        return Campaign.objects.none()
    if user.is_superuser:
        return Campaign.objects.all()
    return Campaign.objects.filter(Q(coordinators=user) | Q(teams__coordinator=user)).distinct()


@dataclass(frozen=True)
class CampaignScope:
    """A campaign as one coordinator may see it."""

    campaign: Campaign
    team_ids: frozenset[int] | None  # None: the whole campaign

    @property
    def whole_campaign(self) -> bool:
        return self.team_ids is None

    def letters(self) -> QuerySet[Letter]:
        """The letters the coordinator may see: never a student's unsubmitted draft."""
        letters = Letter.objects.filter(campaign=self.campaign).exclude(status=Letter.Status.DRAFT)
        return letters if self.team_ids is None else letters.filter(team_id__in=self.team_ids)

    def teams(self) -> QuerySet[Team]:
        teams = self.campaign.teams.select_related("coordinator")
        return teams if self.team_ids is None else teams.filter(pk__in=self.team_ids)

    def batches(self) -> QuerySet[Batch]:
        batches = Batch.objects.filter(campaign=self.campaign)
        return batches if self.team_ids is None else batches.filter(team_id__in=self.team_ids)

    def replies(self) -> QuerySet[Reply]:
        """A team's coordinator sees the replies their team's students see: those answering
        a letter of the team, and the public ones."""
        replies = Reply.objects.filter(campaign=self.campaign)
        if self.team_ids is None:
            return replies
        mine = Q(public=True) | Q(answers__letter__team_id__in=self.team_ids)
        return replies.filter(pk__in=replies.filter(mine).values("pk"))


def letters_to_do(user: AbstractBaseUser) -> dict[tuple[int, str], int]:
    """{(campaign id, status): count} of the letters waiting for this coordinator: submitted
    (to review) and approved but not in a batch yet (to send), in their scope of each campaign
    (a team coordinator counts their teams' letters only). One query."""
    if not user.is_authenticated:
        return {}
    taken = Delivery.objects.filter(letter=OuterRef("pk"))
    waiting = Letter.objects.annotate(taken=Exists(taken)).filter(
        Q(status=Letter.Status.SUBMITTED) | Q(status=Letter.Status.APPROVED, taken=False)
    )
    if not user.is_superuser:
        whole = Campaign.objects.filter(coordinators=user).values("pk")
        waiting = waiting.filter(Q(campaign__in=whole) | Q(team__coordinator=user))
    rows = waiting.values("campaign_id", "status").annotate(count=Count("pk")).order_by()
    return {(row["campaign_id"], row["status"]): row["count"] for row in rows}


def scope_for(user: AbstractBaseUser, campaign: Campaign) -> CampaignScope | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser or campaign.coordinators.filter(pk=user.pk).exists():
        return CampaignScope(campaign, None)
    team_ids = frozenset(campaign.teams.filter(coordinator=user).values_list("pk", flat=True))
    return CampaignScope(campaign, team_ids) if team_ids else None


def get_campaign_for_coordinator(user: AbstractBaseUser, slug: str) -> CampaignScope:
    campaign = Campaign.objects.filter(slug=slug).first()
    scope = scope_for(user, campaign) if campaign is not None else None
    if scope is None:
        raise Http404
    return scope


def get_managed_campaign(user: AbstractBaseUser, slug: str) -> CampaignScope:
    """The campaign, if the user coordinates all of it: a team's coordinator may not change it."""
    scope = get_campaign_for_coordinator(user, slug)
    if not scope.whole_campaign:
        raise Http404
    return scope


def get_team_for_coordinator(scope: CampaignScope, pk: int) -> Team:
    team = scope.teams().filter(pk=pk).first()
    if team is None:
        raise Http404
    return team


def get_letter_for_coordinator(scope: CampaignScope, pk: int) -> Letter:
    letter = scope.letters().select_related("team", "template").filter(pk=pk).first()
    if letter is None:
        raise Http404
    return letter


def get_reply_for_coordinator(scope: CampaignScope, pk: int) -> Reply:
    reply = scope.replies().select_related("official").filter(pk=pk).first()
    if reply is None:
        raise Http404
    return reply


def get_batch_for_coordinator(user: AbstractBaseUser, pk: int) -> tuple[Batch, CampaignScope]:
    batch = Batch.objects.select_related("campaign", "team", "created_by").filter(pk=pk).first()
    scope = scope_for(user, batch.campaign) if batch is not None else None
    if scope is None or not scope.batches().filter(pk=batch.pk).exists():
        raise Http404
    return batch, scope
