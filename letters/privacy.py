"""What the app keeps about a student, why, and for how long: one list, two readers.

The student-facing privacy page (`letters:privacy`, in English and Spanish) renders it, and
`manage.py privacy_doc` writes docs/privacy.md from it (a test fails when the two differ, and
another when `Letter` gains a field this list does not name). Texts are translated; the
developers' notes (`detail`) are for the doc only and stay in English.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

#: Days a closed campaign keeps its letters unless the campaign says otherwise.
DEFAULT_RETENTION_DAYS = 365


@dataclass(frozen=True)
class Kept:
    """Something kept with a letter: the model fields, what it is, and why it is needed."""

    fields: tuple[str, ...]
    what: str
    why: str
    #: For developers only (the doc): how it is kept or used.
    detail: str = ""


KEPT: tuple[Kept, ...] = (
    Kept(
        ("first_name", "last_name"),
        _("Your first and last name"),
        _("They sign your letter: officials read letters from real people."),
    ),
    Kept(
        ("email",),
        _("Your email address, if you give it (it is optional)"),
        _(
            "Only to send you the private link to your letter and a copy when it is sent. "
            "Officials never see it."
        ),
    ),
    Kept(
        ("link_emailed_to",),
        _("The address your private link was last emailed to"),
        _("So the link is emailed once, not every time you submit."),
    ),
    Kept(
        ("school",),
        _("Your school"),
        _(
            "It is in the letter's sender block, and coordinators see how many letters each "
            "school wrote."
        ),
    ),
    Kept(
        ("grade",),
        _("Your grade, if you give it (it is optional)"),
        _("It may appear in the letter when the campaign's letter mentions it."),
    ),
    Kept(
        ("city", "state"),
        _("Your town and state or region"),
        _("They are in the letter's sender block: officials listen to the people they serve."),
    ),
    Kept(
        ("personal_paragraph",),
        _("Your own words"),
        _("They are the heart of your letter."),
    ),
    Kept(
        ("team",),
        _("The team you joined with a code, if any"),
        _("So your teacher or group leader can read and review your class's letters."),
    ),
    Kept(
        ("recommendations", "recipients"),
        _("The recommendations you chose, in your order, and the officials you chose"),
        _("They are what your letter asks for, and whom it goes to."),
        "`recommendations` with `LetterRecommendation.position`.",
    ),
    Kept(
        ("zip_code",),
        _("Your ZIP code (five digits), only in campaigns that write to your members of Congress"),
        _(
            "To find your senators and representative. It is never printed on your letter, and "
            "it is kept only as long as your letter."
        ),
        "A ZIP+4 is cut to its first five digits; kept so the letter can be edited with the same "
        "district; never in logs or error reports (the compose form's fields are "
        "`sensitive_post_parameters`, and the lookup logs nothing).",
    ),
    Kept(
        ("status", "review_comment"),
        _("Where your letter is (draft, submitted, approved, sent) and a coordinator's comment"),
        _("So a coordinator can review your letter and tell you what to change."),
    ),
    Kept(
        ("rendered_text", "snapshot"),
        _("The words of your letter as you submitted it"),
        _("Your letter never changes after you submit it, even if the campaign changes later."),
    ),
    Kept(
        (),
        _("The PDF of your letter, as it reads now"),
        _(
            "So your next download is ready at once. When you change your letter, the old PDF is "
            "deleted."
        ),
        "A file, not a field: `letter-downloads/<letter id>/<digest>.pdf` through Django's "
        "storage API (`letters.documents`), rendered by the worker when the letter is saved or by "
        "the first download. An edit stores a new file and deletes the older ones; deleting the "
        "letter (the student, a coordinator or the purge) deletes them all. A draft's snapshot (its "
        "words, as the preview and the PDF are rendered from them) is kept in the cache under "
        "the letter's id for 15 minutes after it was read, and deleted with the letter "
        "(`letters.rendering.forget_draft_snapshots`).",
    ),
    Kept(
        ("token",),
        _("The secret part of your private link"),
        _("It is your only key to your letter: no account and no password."),
    ),
    Kept(
        ("personal_share", "similarity", "sketch"),
        _("How much of your letter is in your own words, and how alike it is to other letters"),
        _(
            "To encourage letters in your own words, and to help coordinators find letters that "
            "are copied. It is a set of numbers: your words cannot be read back from it."
        ),
        "A MinHash sketch; `LetterBand` rows index it. The student's page never shows anything "
        "measured against other letters (it would tell whoever types a paragraph whether another "
        "letter holds it): its nudge compares with the campaign's public sample paragraph only.",
    ),
    Kept(
        ("campaign", "template"),
        _("Which campaign and which version of its letter"),
        _("To write your letter from the right text."),
    ),
    Kept(
        ("created_at", "updated_at", "submitted_at", "approved_at", "sent_at"),
        _("When your letter was written, submitted, approved and sent"),
        _("To show you where your letter is, and to count letters per day."),
    ),
    Kept(("id",), _("A number for your letter in our database"), _("To find it."), "—"),
)

#: Kept about a student by the replies app (replies from officials, issue #21): rows of their
#: own, deleted with the letter and with the campaign's purge. `fields` name the models.
REPLIES_KEPT: tuple[Kept, ...] = (
    Kept(
        ("ReplyAnswer",),
        _("Which replies from officials answer your letter"),
        _("So your private link shows you the replies to your letter, and nobody else's."),
        "One row per reply and letter (ids only). A reply the coordinator did not make public "
        "(`Reply`: the official's words, a PDF or image re-encoded without metadata) is students' "
        "data too: it is deleted with the one letter it answers, and every non-public reply is "
        "deleted by the campaign's purge. A public reply is the official's words to the campaign "
        "(no student named; recording one that names a student is refused) and stays with the "
        "campaign.",
    ),
    Kept(
        ("ReplyQuestion",),
        _("Whether you told us that you got a reply (asked once by email, if you gave it)"),
        _("To count how many officials answer students; the answer is only yes or not yet."),
        "When it was asked, the answer and when. The emails (`StudentEmail` kinds "
        "`reply_notice` and `reply_question`) hold a link only, never a reply's words; the "
        "answer links are signed (`django.core.signing`, salted), expire after 120 days and "
        "work once.",
    ),
)

#: How long: said once, on the page and in the doc.
HOW_LONG = _(
    "We keep your letter until the first of these: you delete it yourself (“Delete my letter” "
    "on your private link, at once); a coordinator deletes it because you or a parent asked; or "
    "the campaign has been closed for a year (%(days)s days, unless the campaign says "
    "otherwise). Then everything about you is deleted, and only anonymous counts remain "
    "(letters by status, official, team, school and day)."
)
HOW_LONG_DETAIL = (
    "`Campaign.retention_days`; the daily purge (`manage.py purge_personal_data`) deletes the "
    "letters, their PDFs, print packs and delivery rows, and the campaign's replies that are not "
    "public (`replies.services.campaign_replies_purge`, registered with "
    "`letters.retention.PURGE_STEPS`)."
)

#: What is never asked, and never kept.
NEVER_ASKED = _(
    "We do not ask for an account, your date of birth, your phone number or your home address "
    "(only your town)."
)
NOT_KEPT = (
    (
        _("The internet address (IP address) you write from is never kept with your letter."),
        "Rate limits count per address in the cache for an hour, by design never stored with a "
        "letter.",
    ),
    (
        _("What you type is never written to the server's logs."),
        "`sensitive_post_parameters` on every form a student fills, and no personal data in task "
        "arguments: tasks carry ids; Celery task results are ignored.",
    ),
    (
        _(
            "When you ask for your link again, the address you type is not kept: the page answers "
            "the same whether or not a letter was written with it, and requests are counted for "
            "an hour under a scrambled form of the address."
        ),
        "“Send me my link again” (on a campaign's page) emails the private links of letters "
        "written with that address, to that address only. Its per-address limit is counted in the "
        "cache under a hash of the address, never with the address itself.",
    ),
    (
        _("The emails we send are not kept: they go to the mail server, and the app keeps none."),
        "In development, the file email backend writes them to `var/mail/`.",
    ),
)
#: Rows deleted with a letter (doc only).
RELATED_ROWS = (
    "`LetterRecommendation`, `LetterPdf` (and its file), the student's PDFs under "
    "`letter-downloads/<letter id>/`, `Delivery` (which holds ids, the "
    "official's address and the delivery's state only), and `StudentEmail`: one row per email to "
    "the student (the private link, the copy of the sent letter, the news that an official "
    "replied, the question whether they got a reply) with its kind, state, tries, "
    "times and the last failure's reason. It holds no address and no text: the message is built "
    "when it is sent, from the letter, to the letter's `email`; the student's address is left out "
    "of the recorded reason and of the logs. Then `ReplyAnswer` and `ReplyQuestion` (above), and "
    "the replies that are not public and answer that letter alone."
)


def listed_fields() -> set[str]:
    """Every `Letter` field the list names."""
    return {name for kept in KEPT for name in kept.fields}
