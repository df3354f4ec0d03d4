"""Reads the pages share: which replies a student, the public or a coordinator may see, and the
campaign's outcomes."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from campaign.models import Campaign
from letters.models import Delivery, Letter
from replies.models import Reply, ReplyQuestion


def may_have_replies(letter: Letter) -> bool:
    """A draft was never submitted: it is shown no reply, and its page asks the database nothing
    about replies (even an empty queryset builds its SQL)."""
    return letter.status != Letter.Status.DRAFT


def replies_for_letter(letter: Letter) -> QuerySet[Reply]:
    """What a student's private page shows: the replies to their letter, and the campaign's
    public replies to the whole campaign."""
    if not may_have_replies(letter):
        return Reply.objects.none()
    return (
        Reply.objects.filter(
            Q(answers__letter=letter)
            | Q(campaign_id=letter.campaign_id, public=True, scope=Reply.Scope.CAMPAIGN)
        )
        .select_related("official")
        .distinct()
    )


def public_replies(campaign: Campaign) -> QuerySet[Reply]:
    return Reply.objects.filter(campaign=campaign, public=True).select_related("official")


def get_reply_for_letter(letter: Letter, pk: int) -> Reply:
    reply = replies_for_letter(letter).filter(pk=pk).first()
    if reply is None:
        raise Http404
    return reply


def get_public_reply(pk: int) -> Reply:
    reply = Reply.objects.filter(pk=pk, public=True).exclude(file="").first()
    if reply is None:
        raise Http404
    return reply


def public_outcomes(campaign: Campaign) -> dict:
    """The public page's figures: letters sent and replies received (no student data)."""
    replies = Reply.objects.filter(campaign=campaign).aggregate(
        total=Count("pk"), public=Count("pk", filter=Q(public=True))
    )
    return {
        # A letter counts once it reached an official, as on the outcomes page: one whose
        # email went while its print copy waits for the post has been sent.
        "letters_sent": Letter.objects.filter(
            campaign=campaign,
            pk__in=Delivery.objects.filter(state=Delivery.State.SENT).values("letter_id"),
        ).count(),
        "replies": replies["total"],
        # Most campaigns have none: no query for them.
        "public_replies": list(public_replies(campaign)) if replies["public"] else [],
    }


def outcomes_by_official(*, campaign: Campaign, letters: QuerySet[Letter], replies) -> list[dict]:
    """Per official, over `letters` (a coordinator's reach, perhaps one team) and `replies`:
    letters sent by email and by post, replies recorded, letters answered, students who say they
    got a reply, and the response rate (letters answered / letters sent)."""
    letter_ids = letters.values("pk")
    sent = (
        Delivery.objects.filter(letter__in=letter_ids, state=Delivery.State.SENT)
        .values("official_id", "channel")
        .annotate(n=Count("letter_id", distinct=True))
        .order_by()
    )
    rows: dict[int, dict] = {}

    def row(official_id: int) -> dict:
        return rows.setdefault(
            official_id,
            {
                "official_id": official_id,
                "email": 0,
                "post": 0,
                "replies": 0,
                "answered": 0,
                "said_yes": 0,
            },
        )

    for item in sent:
        key = "email" if item["channel"] == Delivery.Channel.EMAIL else "post"
        row(item["official_id"])[key] += item["n"]
    for item in replies.values("official_id").annotate(n=Count("pk", distinct=True)).order_by():
        row(item["official_id"])["replies"] = item["n"]
    answered = (
        replies.filter(answers__letter__in=letter_ids)
        .values("official_id")
        .annotate(n=Count("answers__letter", distinct=True))
        .order_by()
    )
    for item in answered:
        row(item["official_id"])["answered"] = item["n"]
    said_yes = (
        ReplyQuestion.objects.filter(letter__in=letter_ids, answer=ReplyQuestion.Answer.YES)
        .filter(letter__deliveries__state=Delivery.State.SENT)
        .values("letter__deliveries__official_id")
        .annotate(n=Count("letter", distinct=True))
        .order_by()
    )
    for item in said_yes:
        row(item["letter__deliveries__official_id"])["said_yes"] = item["n"]
    from campaign.models import Official

    officials = Official.objects.in_bulk(list(rows))
    result = []
    for official_id, values in rows.items():
        total = values["email"] + values["post"]
        values["official"] = officials[official_id]
        values["sent"] = total
        values["rate"] = round(100 * values["answered"] / total) if total else None
        result.append(values)
    return sorted(result, key=lambda values: values["official"].office)
