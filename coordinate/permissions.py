"""Who may do what: the permission matrix, the one source of truth.

Every role x every page, admin model, admin view and admin action is written here. From it:

- `docs/permissions.md` is generated (`manage.py permissions_doc`, which holds the writer; a test
  fails when the file is stale);
- the staff groups of `coordinate/roles.py` are derived (what a content editor may do in the
  admin is listed once, here);
- `tests/coordinate/test_permission_matrix.py` tries every cell with real requests, and fails when
  a URL, an admin model, an admin view or an admin action exists that this module does not list.

The code enforces the matrix in the usual places (the access helpers of `coordinate/access.py`,
the admin classes, the services); the matrix says what they must do, the test checks that they do.
"""

import enum
from dataclasses import dataclass, field


class Role(enum.StrEnum):
    ANONYMOUS = "anonymous"
    STUDENT = "student"
    COORDINATOR = "coordinator"
    TEAM_COORDINATOR = "team coordinator"
    CONTENT_EDITOR = "content editor"
    ADMINISTRATOR = "administrator"


ROLES = list(Role)

ROLE_DESCRIPTIONS = {
    Role.ANONYMOUS: "anyone, not logged in",
    Role.STUDENT: "no account; holds the private link of their own letter (a bearer secret)",
    Role.COORDINATOR: "a user who coordinates a whole campaign (its `coordinators`); whether or "
    "not the account is staff or in the “Coordinators” group changes nothing",
    Role.TEAM_COORDINATOR: "a user who coordinates one team (a class) of a campaign",
    Role.CONTENT_EDITOR: "a staff user in the “Content editors” group: keeps what campaigns say "
    "current",
    Role.ADMINISTRATOR: "a superuser",
}

#: The staff groups (synced after every migrate by coordinate/roles.py) and the role each gives.
GROUPS = {
    # Coordinators work on the coordinator pages; the group gives nothing in the admin. It is kept
    # so that a sync takes away what earlier versions gave it (every letter, every team).
    "Coordinators": None,
    "Content editors": Role.CONTENT_EDITOR,
}


class Reach(enum.StrEnum):
    """How far a role reaches on a page."""

    ALL = "yes"  # every object
    CAMPAIGN = "own campaigns"  # the campaigns the user coordinates, whole
    TEAM = "own teams"  # the letters and batches of the user's teams only
    LINK = "own letter"  # the letter whose private link the student holds
    INVITED = "own invitation"  # an invitation sent to the user's email address
    # Not logged in, holding an invitation's link to an address with no account: makes it.
    INVITATION_LINK = "the link's holder"
    NONE = "no"


@dataclass(frozen=True)
class Page:
    url_name: str
    methods: tuple[str, ...]
    what: str
    reach: dict[Role, Reach]

    def reach_of(self, role: Role) -> Reach:
        return self.reach.get(role, Reach.NONE)


def _page(url_name: str, what: str, methods: str = "GET", **reach: Reach) -> Page:
    return Page(
        url_name,
        tuple(methods.split()),
        what,
        {Role[name.upper()]: value for name, value in reach.items()},
    )


_EVERYONE = {role.name.lower(): Reach.ALL for role in Role}
_STUDENT_LINK = {"student": Reach.LINK}
_LOGGED_IN = ("coordinator", "team_coordinator", "content_editor", "administrator")
_OWN = {"coordinator": Reach.CAMPAIGN, "administrator": Reach.ALL}
_OWN_OR_TEAM = {**_OWN, "team_coordinator": Reach.TEAM}

PAGES = [
    # Public pages: no student data on them.
    _page("letters:home", "the campaigns", **_EVERYONE),
    _page("letters:campaign", "a campaign's page", **_EVERYONE),
    _page("letters:sources", "the sources", **_EVERYONE),
    _page("letters:privacy", "what is kept about students, why and for how long", **_EVERYONE),
    _page("letters:compose", "write a letter", "GET POST", **_EVERYONE),
    _page(
        "letters:resend_link",
        "ask for a letter's private link by email (the page never shows one, and answers alike "
        "whether or not a letter has the address)",
        "GET POST",
        **_EVERYONE,
    ),
    # A letter, by its private link. Nobody else is ever shown the link (the matrix test checks
    # every response to every other role for it), so without it these are 404.
    _page("letters:detail", "a letter: preview, status, the personal-words nudge", **_STUDENT_LINK),
    _page("letters:edit", "change the letter until it is approved", "GET POST", **_STUDENT_LINK),
    _page("letters:submit", "submit the letter", "POST", **_STUDENT_LINK),
    _page("letters:pdf", "download the letter's PDF", **_STUDENT_LINK),
    _page(
        "letters:delete",
        "delete the letter and everything typed into it",
        "GET POST",
        **_STUDENT_LINK,
    ),
    # Coordinator pages (/coordinate/): anonymous users are sent to log in; anything outside a
    # user's reach is a 404, exactly like something that does not exist.
    _page(
        "coordinate:dashboard",
        "the user's campaigns with their progress",
        **{
            **dict.fromkeys(_LOGGED_IN, Reach.CAMPAIGN),
            "team_coordinator": Reach.TEAM,
            "administrator": Reach.ALL,
        },
    ),
    _page(
        "coordinate:new",
        "start a campaign (its starter coordinates it)",
        "GET POST",
        **dict.fromkeys(_LOGGED_IN, Reach.ALL),
    ),
    _page(
        "coordinate:invitation",
        "accept an invitation to coordinate (only the invited address). Without an account at "
        "that address, the link's holder makes it there (the link reached the address); with "
        "one, anonymous visitors are sent to log in",
        "GET POST",
        **dict.fromkeys(_LOGGED_IN, Reach.INVITED),
        anonymous=Reach.INVITATION_LINK,
        student=Reach.INVITATION_LINK,
    ),
    _page("coordinate:campaign", "a campaign's dashboard and statistics", **_OWN_OR_TEAM),
    _page(
        "coordinate:edit",
        "a campaign's settings (status, dates, officials, sender)",
        "GET POST",
        **_OWN,
    ),
    _page("coordinate:coordinators", "a campaign's coordinators, invite one", "GET POST", **_OWN),
    _page("coordinate:coordinator_remove", "remove a coordinator", "POST", **_OWN),
    _page("coordinate:paper_letters", "the count of paper letters", "POST", **_OWN),
    _page(
        "coordinate:student_emails_retry",
        "send again the emails to students that failed",
        "POST",
        **_OWN_OR_TEAM,
    ),
    _page("coordinate:teams", "teams and join codes; start a team", "GET POST", **_OWN_OR_TEAM),
    _page("coordinate:team_regenerate", "a new join code", "POST", **_OWN_OR_TEAM),
    _page("coordinate:letters_csv", "letters as CSV (names, schools, cities)", **_OWN_OR_TEAM),
    _page("coordinate:queue", "the review queue", **_OWN_OR_TEAM),
    _page("coordinate:review", "approve or return letters", "POST", **_OWN_OR_TEAM),
    _page("coordinate:letter", "one letter", **_OWN_OR_TEAM),
    _page("coordinate:delete_letter", "delete a letter on request", "POST", **_OWN_OR_TEAM),
    _page("coordinate:batches", "start a batch (email or print)", "GET POST", **_OWN_OR_TEAM),
    _page("coordinate:batch", "a batch and its failures", **_OWN_OR_TEAM),
    _page("coordinate:batch_progress", "a batch's progress (JSON)", **_OWN_OR_TEAM),
    _page("coordinate:batch_retry", "retry a batch's failed deliveries", "POST", **_OWN_OR_TEAM),
    _page(
        "coordinate:batch_steps",
        "mark a print batch printed, mailed, answered",
        "POST",
        **_OWN_OR_TEAM,
    ),
    _page("coordinate:batch_rebuild", "make the print pack again", "POST", **_OWN_OR_TEAM),
    _page("coordinate:batch_pack", "download the print pack", **_OWN_OR_TEAM),
    # Replies from officials (issue #21). A team's coordinator sees the replies their team's
    # students see, records replies to their team's letters only, and never makes one public.
    _page(
        "coordinate:replies",
        "the replies recorded; record one (with its file)",
        "GET POST",
        **_OWN_OR_TEAM,
    ),
    _page("coordinate:reply_file", "a recorded reply's file", **_OWN_OR_TEAM),
    _page("coordinate:reply_delete", "delete a recorded reply", "POST", **_OWN),
    _page(
        "coordinate:outcomes",
        "letters sent, replies and response rates per official, by team, with a chart",
        **_OWN_OR_TEAM,
    ),
    _page("coordinate:outcomes_csv", "the outcomes as CSV (no student data)", **_OWN_OR_TEAM),
    # A student's side of replies: a reply's file behind the private link, and the answer to
    # "Did you get a reply?" by a signed link that works once (it shows nothing of anyone's).
    _page(
        "replies:letter_file",
        "the file of a reply to the letter (or a public reply to the whole campaign)",
        **_STUDENT_LINK,
    ),
    _page("replies:public_file", "the file of a public reply", **_EVERYONE),
    _page(
        "replies:answer",
        "answer “Did you get a reply?” by the emailed signed link (works once; a tampered or "
        "used link changes nothing)",
        "GET POST",
        **_EVERYONE,
    ),
]

#: URLs that hold nothing of anyone's: logging in and out, the language switcher, and the admin
#: site's own pages (which list only what the user's permissions allow).
SITE_URLS = {
    "login": "log in (anyone)",
    "logout": "log out (anyone logged in)",
    "set_language": "switch the language (anyone)",
    "admin:index": "the admin's index: staff only; lists only the models the user may see",
    "admin:login": "the admin's login: a non-staff user is refused",
    "admin:logout": "log out",
    "admin:password_change": "staff change their own password",
    "admin:password_change_done": "staff change their own password",
    "admin:jsi18n": "the admin's translations for JavaScript",
    "admin:app_list": "an app's models: only those the user may see",
    "admin:autocomplete": "autocomplete: only on a model the user may view, for a field they may edit",
    "admin:view_on_site": "the public page of an object (campaigns only)",
}


#: Account pages (/accounts/): each shows and changes only the signed-in person's own account, or
#: the one a link was emailed to (the link is the proof). `True`: anonymous users are sent to log
#: in; `False`: open to anyone (what they show depends on the link or on nothing personal).
ACCOUNT_URLS = {
    "password_reset": (
        False,
        "ask for a password-reset link (the same answer whether or not the address has an account; "
        "limited per address and per account)",
    ),
    "password_reset_done": (False, "the answer to a reset request, the same for every address"),
    "password_reset_confirm": (False, "choose a new password, by the emailed link (works once)"),
    "password_reset_complete": (False, "the new password is saved"),
    "account_email_confirm": (False, "confirm a new address, by the link emailed to it"),
    "account_join": (False, "an approved teacher makes their account, by the emailed link"),
    "coordinator_request": (False, "a teacher asks to coordinate (honeypot, rate-limited)"),
    "coordinator_request_sent": (False, "the request is sent"),
    "account": (True, "the user's own account: name, language of their emails"),
    "password_change": (True, "change one's own password (the current one is asked)"),
    "account_email": (True, "change one's own address (the password is asked; confirmed by link)"),
    "account_sessions_end": (True, "log out of every session of one's own account"),
    "account_delete": (
        True,
        "delete one's own account (the password is asked; refused while the last coordinator of "
        "an open campaign)",
    ),
    "two_factor": (True, "enter one's second-factor code, or be told how to add a device"),
    "two_factor_setup": (
        True,
        "staff add their authenticator app (replacing one needs its code first); 404 otherwise",
    ),
}


class Action(enum.StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"


VIEW = frozenset({Action.VIEW})
EDIT = frozenset({Action.VIEW, Action.ADD, Action.CHANGE})
ALL = frozenset(Action)


@dataclass(frozen=True)
class AdminModel:
    label: str  # app_label.ModelName
    what: str
    access: dict[Role, frozenset[Action]]
    #: Shows students' data (names, schools, words): never a content editor's or a coordinator's.
    student_data: bool = False
    #: Fields a content editor sees read-only or not at all: only an administrator changes them.
    administrator_only_fields: tuple[str, ...] = ()
    #: Fields no admin page shows to anyone.
    never_shown: tuple[str, ...] = ()
    #: Admin actions (the changelist's drop-down) -> the action on the model each needs.
    actions: dict[str, Action] = field(default_factory=dict)
    notes: str = ""

    def actions_of(self, role: Role) -> frozenset[Action]:
        return self.access.get(role, frozenset())

    def admin_actions_of(self, role: Role) -> set[str]:
        granted = self.actions_of(role)
        return {name for name, needs in self.actions.items() if needs in granted}


_DELETE_SELECTED = {"delete_selected": Action.DELETE}

#: Campaign fields a content editor may change: what a campaign says. Who coordinates it, its
#: status and dates (the end date closes it and starts the retention clock), where and how its
#: letters are sent, whether they are reviewed, and how long students' data is kept, are not.
CONTENT_EDITOR_CAMPAIGN_FIELDS = (
    "title",
    "summary",
    "guidance",
    "sample_paragraph",
    "letter_goal",
    "page_size",
    "recommendation_lists",
    "default_recommendations",
    "facts",
)

ADMIN_MODELS = [
    AdminModel(
        "campaign.Source",
        "documents facts and recommendations are quoted from",
        {Role.CONTENT_EDITOR: EDIT, Role.ADMINISTRATOR: ALL},
        actions=_DELETE_SELECTED,
    ),
    AdminModel(
        "campaign.Fact",
        "facts shown on campaign pages",
        {Role.CONTENT_EDITOR: ALL, Role.ADMINISTRATOR: ALL},
        actions=_DELETE_SELECTED,
    ),
    AdminModel(
        "campaign.RecommendationList",
        "lists students choose recommendations from",
        {Role.CONTENT_EDITOR: EDIT, Role.ADMINISTRATOR: ALL},
        actions=_DELETE_SELECTED,
    ),
    AdminModel(
        "campaign.Recommendation",
        "one recommendation, quoted",
        {Role.CONTENT_EDITOR: ALL, Role.ADMINISTRATOR: ALL},
        actions=_DELETE_SELECTED,
    ),
    AdminModel(
        "campaign.Official",
        "offices letters go to, with their addresses",
        {Role.CONTENT_EDITOR: VIEW | {Action.CHANGE}, Role.ADMINISTRATOR: ALL},
        administrator_only_fields=("delivery_email", "postal_address"),
        actions={**_DELETE_SELECTED, "export_csv": Action.VIEW},
        notes="Where letters are sent (the delivery email and the postal address) is an "
        "administrator's act: a content editor sees both read-only, cannot add an office "
        "(it needs an address), cannot import the CSV, and a revert from the history keeps "
        "them. Every change is in the official's history; the batch page shows recent address "
        "changes before a coordinator starts a batch.",
    ),
    AdminModel(
        "campaign.Term",
        "who holds an office, for which days, and when that was last checked",
        {Role.CONTENT_EDITOR: VIEW, Role.ADMINISTRATOR: ALL},
        actions=_DELETE_SELECTED,
        notes="Whom letters are addressed to is an administrator's act, recorded with the date "
        "and source of the check and in the term's history; a content editor sees the terms. "
        "Holders imported from public data are changed by hand only so, each change in the "
        "history; a later import keeps a check made after its data.",
    ),
    AdminModel(
        "campaign.CongressImport",
        "each import of the public data on Congress: its date, age and changes",
        {Role.CONTENT_EDITOR: VIEW, Role.ADMINISTRATOR: VIEW},
        notes="Read-only for everyone: imports are run by `manage.py import_congress` (and "
        "`make run`); the offices' list shows how old the data is.",
    ),
    AdminModel(
        "campaign.Campaign",
        "what a campaign says; for administrators also who runs it and how",
        {Role.CONTENT_EDITOR: VIEW | {Action.CHANGE}, Role.ADMINISTRATOR: ALL},
        administrator_only_fields=(
            "slug",
            "status",
            "starts_on",
            "ends_on",
            "paper_letters",
            "targets",
            "congress_members",
            "cc",
            "coordinators",
            "review_required",
            "sender_name",
            "sender_email",
            "retention_days",
        ),
        actions=_DELETE_SELECTED,
        notes="A content editor changes only "
        + ", ".join(f"`{name}`" for name in CONTENT_EDITOR_CAMPAIGN_FIELDS)
        + "; the coordinators are not even shown, nor the teams. Saves go through "
        "`coordinate.services` (the opening checks, the status and retention clock, the last "
        "coordinator, the sender domains), for administrators too.",
    ),
    AdminModel(
        "letters.LetterTemplate",
        "letter templates, with the live preview",
        {Role.CONTENT_EDITOR: EDIT, Role.ADMINISTRATOR: ALL},
        actions={**_DELETE_SELECTED, "duplicate": Action.ADD, "make_active": Action.CHANGE},
    ),
    AdminModel(
        "campaign.Team",
        "teams (classes) with their join codes and coordinator",
        {Role.ADMINISTRATOR: ALL},
        actions=_DELETE_SELECTED,
        notes="Join codes are made by `campaign.services` (never typed in).",
    ),
    AdminModel(
        "letters.Letter",
        "students' letters",
        {Role.ADMINISTRATOR: VIEW | {Action.DELETE}},
        student_data=True,
        never_shown=("token",),
        actions=_DELETE_SELECTED,
        notes="Read-only; deleting goes through `letters.services.letter_delete` (files too). "
        "The private link's token is shown to no one.",
    ),
    AdminModel(
        "letters.Batch",
        "batches coordinators started",
        {Role.ADMINISTRATOR: VIEW},
        student_data=True,
        notes="Read-only: batches are started, marked and retried on the coordinator pages.",
    ),
    AdminModel(
        "letters.Delivery",
        "one letter to one official (the outbox)",
        {Role.ADMINISTRATOR: VIEW},
        student_data=True,
    ),
    AdminModel(
        "auth.User",
        "accounts",
        {Role.ADMINISTRATOR: ALL},
        actions=_DELETE_SELECTED,
    ),
    AdminModel(
        "auth.Group",
        "staff groups (synced from this matrix after every migrate)",
        {Role.ADMINISTRATOR: ALL},
        actions=_DELETE_SELECTED,
    ),
    AdminModel(
        "coordinate.CoordinatorRequest",
        "teachers' requests to coordinate (name, school, email, why)",
        {Role.ADMINISTRATOR: VIEW | {Action.CHANGE, Action.DELETE}},
        actions={**_DELETE_SELECTED, "approve": Action.CHANGE, "decline": Action.CHANGE},
        notes="Approve emails the teacher a link to make an account (or an invitation to the "
        "campaign chosen on the request); decline tells them. Requests are made on "
        "`/accounts/ask-to-coordinate/`, never added in the admin.",
    ),
    AdminModel(
        "otp_totp.TOTPDevice",
        "staff's authenticator apps (the second factor)",
        {Role.ADMINISTRATOR: VIEW | {Action.DELETE}},
        never_shown=("key",),
        actions=_DELETE_SELECTED,
        notes="The key is shown to no one in the admin (its owner saw it once, when adding the "
        "app); deleting a lost phone's device makes its owner add a new one at the next log-in.",
    ),
    AdminModel(
        "otp_static.StaticDevice",
        "staff's recovery codes",
        {Role.ADMINISTRATOR: VIEW | {Action.DELETE}},
        never_shown=("token_set",),
        actions=_DELETE_SELECTED,
        notes="The codes are shown to no one in the admin.",
    ),
    AdminModel(
        "axes.AccessAttempt",
        "failed logins (user names, addresses)",
        {Role.ADMINISTRATOR: VIEW | {Action.CHANGE, Action.DELETE}},
        actions={**_DELETE_SELECTED, "cleanup_expired_attempts": Action.DELETE},
        notes="django-axes' own admin; its change page shows read-only fields.",
    ),
    AdminModel(
        "axes.AccessLog",
        "logins (user names, addresses)",
        {Role.ADMINISTRATOR: VIEW | {Action.CHANGE, Action.DELETE}},
        actions=_DELETE_SELECTED,
    ),
    AdminModel(
        "axes.AccessFailureLog",
        "failed logins (user names, addresses)",
        {Role.ADMINISTRATOR: VIEW | {Action.CHANGE, Action.DELETE}},
        actions=_DELETE_SELECTED,
    ),
]

ADMIN_MODELS_BY_LABEL = {model.label: model for model in ADMIN_MODELS}


@dataclass(frozen=True)
class AdminView:
    url_name: str
    what: str
    roles: frozenset[Role]


ADMIN_VIEWS = [
    AdminView(
        "admin:auth_user_password_change",
        "set another account's password",
        frozenset({Role.ADMINISTRATOR}),
    ),
    AdminView(
        "admin:campaign_official_import",
        "import officials from CSV (may change delivery addresses)",
        frozenset({Role.ADMINISTRATOR}),
    ),
    AdminView(
        "admin:campaign_official_export",
        "export officials as CSV",
        frozenset({Role.CONTENT_EDITOR, Role.ADMINISTRATOR}),
    ),
    AdminView(
        "admin:letters_lettertemplate_preview",
        "preview a template with a sample letter (bounded: too large is refused)",
        frozenset({Role.CONTENT_EDITOR, Role.ADMINISTRATOR}),
    ),
    AdminView(
        "admin:letters_lettertemplate_preview_pdf",
        "the sample letter as a PDF (bounded: too large is refused)",
        frozenset({Role.CONTENT_EDITOR, Role.ADMINISTRATOR}),
    ),
]

#: The URLs every admin model has (`admin:<app>_<model>_<suffix>`): the history ones are checked
#: with the model's view and change permissions.
MODEL_URL_SUFFIXES = ("changelist", "add", "change", "delete", "history", "simple_history")


def group_permissions(role: Role | None) -> dict[str, dict[str, list[str]]]:
    """{app_label: {model_name: [action, ...]}}: what a staff group giving `role` holds."""
    granted: dict[str, dict[str, list[str]]] = {}
    if role is None:
        return granted
    for model in ADMIN_MODELS:
        actions = model.actions_of(role)
        if actions:
            app_label, model_name = model.label.split(".")
            granted.setdefault(app_label, {})[model_name.lower()] = [
                action.value for action in Action if action in actions
            ]
    return granted
