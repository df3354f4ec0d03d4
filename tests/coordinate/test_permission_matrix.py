"""The permission matrix (coordinate/permissions.py), tried cell by cell with real requests.

For every role x page (with the role's own objects and with other people's ids), every role x admin
model (changelist, add, change, delete, history, a POST), every admin view and admin action: the
status is what the matrix says, no response holds a student's data the role may not see (no one
but the student ever sees a private link's token), and a refused request changes nothing. A URL,
admin model, admin view or admin action the matrix does not list fails here.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campaign.models import Campaign, Team
from coordinate import permissions
from coordinate.management.commands import permissions_doc
from coordinate.permissions import PAGES, Action, Reach, Role
from coordinate.roles import ROLES as GROUP_PERMISSIONS
from letters.models import Batch, Delivery, Letter
from tests import factories
from tests.coordinate.world import Student, World, build_world

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
UNKNOWN_TOKEN = "n0-such-letter-" + "x" * 28


@pytest.fixture
def world(settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def client_for(role: Role, world: World) -> Client:
    client = Client()
    user = world.users.get(role)
    if user is not None:
        client.force_login(user)
    return client


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


# --- Whose data a role may see -------------------------------------------------------------------


def visible_students(role: Role, world: World) -> list[Student]:
    """The letters whose data the role's user may see on the pages it reaches."""
    return {
        Role.STUDENT: [world.team_letter],
        Role.COORDINATOR: [world.team_letter, world.campaign_letter],
        Role.TEAM_COORDINATOR: [world.team_letter],
        Role.ADMINISTRATOR: [world.team_letter, world.campaign_letter, world.other_letter],
    }.get(role, [])


def assert_no_foreign_data(
    text: str, role: Role, world: World, *, allowed: bool, link=False, visible=None
):
    if visible is None:
        visible = visible_students(role, world) if allowed else []
    for student in world.students:
        if student in visible:
            continue
        leaked = [marker for marker in student.markers if marker and marker in text]
        assert leaked == [], f"{role} sees another student's data: {leaked}"
    for token in world.tokens:
        if link and token == world.team_letter.letter.token:
            continue
        assert token not in text, f"{role} is shown a private link's token"


# --- What must not change ----------------------------------------------------------------------


def untouchable(role: Role, world: World) -> dict:
    """The rows outside the role's reach, as they are now, by kind and id: no request of the
    role changes or deletes them (rows it creates, its own new campaign or team, are not here)."""
    own_letters, own_teams, own_campaigns, own_batches = set(), set(), set(), set()
    if role == Role.ADMINISTRATOR:
        return {}
    if role == Role.STUDENT:  # deleting the letter takes its deliveries and print pack too
        own_letters = {world.team_letter.letter.pk}
        own_batches = {world.team_batch.pk}
    if role == Role.COORDINATOR:
        own_campaigns = {world.campaign.pk}
        own_teams = {world.team.pk, world.sibling_team.pk}
        own_letters = {world.team_letter.letter.pk, world.campaign_letter.letter.pk}
        own_batches = {world.team_batch.pk, world.campaign_batch.pk}
    if role == Role.TEAM_COORDINATOR:
        own_teams = {world.team.pk}
        own_letters = {world.team_letter.letter.pk}
        own_batches = {world.team_batch.pk}

    def rows(queryset, *fields) -> dict:
        return {row[0]: row[1:] for row in queryset.values_list("pk", *fields)}

    campaigns = Campaign.objects.exclude(pk__in=own_campaigns)
    return {
        "letters": rows(
            Letter.objects.exclude(pk__in=own_letters),
            "status",
            "review_comment",
            "first_name",
            "personal_paragraph",
        ),
        "teams": rows(
            Team.objects.exclude(pk__in=own_teams), "name", "join_code", "coordinator_id"
        ),
        "campaigns": rows(
            campaigns, "title", "status", "paper_letters", "retention_days", "sender_email"
        ),
        "coordinators": {
            campaign.pk: sorted(campaign.coordinators.values_list("pk", flat=True))
            for campaign in campaigns
        },
        "batches": rows(
            Batch.objects.exclude(pk__in=own_batches), "printed_at", "mailed_at", "pack"
        ),
        "deliveries": rows(Delivery.objects.exclude(batch_id__in=own_batches), "state"),
    }


def assert_untouched(before: dict, after: dict, where: str) -> None:
    for kind, rows in before.items():
        now = {pk: values for pk, values in after[kind].items() if pk in rows}
        assert now == rows, f"{where} changed {kind} that are not theirs"


# --- Pages: the cases each URL is tried with ------------------------------------------------


@dataclass
class Case:
    label: str
    url: str
    #: The reaches that open it: a role whose reach on the page is one of these is let in.
    opened_by: frozenset[Reach]
    data: dict = field(default_factory=dict)
    link: bool = False  # the student's own private link
    check_effects: bool = True


OWN_CAMPAIGN = frozenset({Reach.ALL, Reach.CAMPAIGN, Reach.TEAM})
OWN_WHOLE_CAMPAIGN = frozenset({Reach.ALL, Reach.CAMPAIGN})
ANYONES = frozenset({Reach.ALL})
NOBODY = frozenset()
REPLY_PAGES = {
    "coordinate:reply_file",
    "coordinate:reply_delete",
    "replies:answer",
    "replies:public_file",
    "replies:letter_file",
}
TOKEN_PAGES = {"letters:detail", "letters:edit", "letters:submit", "letters:pdf", "letters:delete"}

POST_DATA = {
    "coordinate:new": {"title": "A campaign of my own", "start_from": ""},
    "coordinate:edit": {"title": "Renamed"},
    "coordinate:coordinators": {"email": "new.colleague@school.example"},
    "coordinate:paper_letters": {"paper_letters": "7"},
    "coordinate:teams": {"name": "Room 99"},
    "coordinate:batches": {"method": "print"},
    "coordinate:batch_steps": {"printed": "on", "mailed": "on"},
    "coordinate:invitation": {
        "name": "Someone Else",
        "password1": "a long and unusual passphrase 42",
        "password2": "a long and unusual passphrase 42",
    },
    # Destructive actions ask first (a page with a confirming form); the answer does it.
    "coordinate:coordinator_remove": {"confirmed": "yes"},
    "coordinate:team_regenerate": {"confirmed": "yes"},
    "coordinate:delete_letter": {"confirmed": "yes"},
    "coordinate:batch_rebuild": {"confirmed": "yes"},
    "coordinate:reply_delete": {"confirmed": "yes"},
    "coordinate:replies": {"official": "", "scope": "campaign", "text": "Thanks"},
}


def replies_of(world: World) -> dict:
    """Replies beside the world's letters (made in each role's turn, which is rolled back): one
    to the team's letters, one to a letter outside the team, one to another campaign, and a
    public one."""
    from replies.models import Reply

    def reply(campaign, letter, scope, *, team=None, public=False):
        made = Reply(
            campaign=campaign,
            official=campaign.targets.first(),
            received_on=datetime.date(2026, 3, 1),
            channel=Reply.Channel.LETTER,
            scope=scope,
            team=team,
            public=public,
            text="Thank you for your letters.",
            file_type="pdf",
        )
        made.file.save("reply.pdf", ContentFile(b"%PDF-1.7 reply"), save=True)
        if letter is not None:
            made.answers.create(letter=letter)
        return made

    return {
        "team": reply(world.campaign, world.team_letter.letter, "team", team=world.team),
        "campaign": reply(world.campaign, world.campaign_letter.letter, "letter"),
        "other": reply(world.other_campaign, world.other_letter.letter, "team"),
        "public": reply(world.campaign, None, "campaign", public=True),
    }


def reply_cases(url_name: str, role: Role, world: World, url) -> list[Case]:
    a, b = world.campaign.slug, world.other_campaign.slug
    replies = replies_of(world)
    if url_name == "replies:answer":
        return [Case("a tampered link", url("not-a-signed-value"), ANYONES)]
    if url_name == "replies:public_file":
        return [
            Case("a public reply", url(replies["public"].pk), ANYONES),
            Case("a reply that is not public", url(replies["team"].pk), NOBODY),
        ]
    if url_name == "replies:letter_file":
        cases = [Case("a link that is not theirs", url(UNKNOWN_TOKEN, replies["team"].pk), NOBODY)]
        if role == Role.STUDENT:
            token = world.team_letter.letter.token
            # (A reply to another letter behind their own link: tests/replies/test_pages.py.)
            cases.append(
                Case(
                    "a reply to their letter",
                    url(token, replies["team"].pk),
                    frozenset({Reach.LINK}),
                    link=True,
                )
            )
        return cases
    return [
        Case("a reply to their team", url(a, replies["team"].pk), OWN_CAMPAIGN),
        Case("a reply outside their team", url(a, replies["campaign"].pk), OWN_WHOLE_CAMPAIGN),
        Case("another campaign's reply", url(b, replies["other"].pk), ANYONES),
        Case("a reply under the wrong campaign", url(a, replies["other"].pk), NOBODY),
    ]


def page_cases(url_name: str, role: Role, world: World) -> list[Case]:
    a, b = world.campaign.slug, world.other_campaign.slug

    def url(*args) -> str:
        return reverse(url_name, args=args)

    if url_name in REPLY_PAGES:
        return reply_cases(url_name, role, world, url)

    if url_name in TOKEN_PAGES:
        cases = [Case("a link that is not theirs", url(UNKNOWN_TOKEN), NOBODY)]
        if role == Role.STUDENT:  # anyone holding the link is, by definition, the student
            token = world.team_letter.letter.token
            cases.append(Case("their own link", url(token), frozenset({Reach.LINK}), link=True))
        return cases
    if url_name in ("letters:campaign", "letters:compose", "letters:resend_link"):
        return [Case("an open campaign", url(a), ANYONES)]
    if url_name in (
        "letters:home",
        "letters:sources",
        "letters:privacy",
        "coordinate:dashboard",
        "coordinate:new",
    ):
        return [Case("the page", url(), frozenset(Reach) - {Reach.NONE})]
    if url_name == "coordinate:invitation":
        user = world.users.get(role)
        cases = []
        if user is not None:
            own = factories.CampaignInvitationFactory(
                campaign=world.other_campaign, email=user.email
            )
            # Accepting joins the campaign: that change is the point.
            cases.append(
                Case(
                    "sent to them", url(own.token), frozenset({Reach.INVITED}), check_effects=False
                )
            )
        someone = factories.CampaignInvitationFactory(
            campaign=world.other_campaign, email="someone.else@school.example"
        )
        # Without an account at the invited address, holding the link is the proof: anyone not
        # logged in may make that account (and so join the campaign); nobody logged in may.
        return [
            *cases,
            Case(
                "sent to someone else",
                url(someone.token),
                frozenset({Reach.INVITATION_LINK}),
                check_effects=user is not None,
            ),
        ]
    if url_name == "coordinate:coordinator_remove":
        return [
            Case("in their campaign", url(a, world.second_coordinator.pk), OWN_WHOLE_CAMPAIGN),
            Case("in another campaign", url(b, world.other_coordinator.pk), ANYONES),
        ]
    if url_name == "coordinate:team_regenerate":
        return [
            Case("their team", url(a, world.team.pk), OWN_CAMPAIGN),
            Case("another team of the campaign", url(a, world.sibling_team.pk), OWN_WHOLE_CAMPAIGN),
            Case("a team of another campaign", url(b, world.other_team.pk), ANYONES),
            Case("a team under the wrong campaign", url(a, world.other_team.pk), NOBODY),
        ]
    if url_name in ("coordinate:letter", "coordinate:delete_letter"):
        return [
            Case("a letter of their team", url(a, world.team_letter.letter.pk), OWN_CAMPAIGN),
            Case(
                "a letter outside their team",
                url(a, world.campaign_letter.letter.pk),
                OWN_WHOLE_CAMPAIGN,
            ),
            Case("a student's draft", url(a, world.draft_letter.letter.pk), NOBODY),
            Case("another campaign's letter", url(b, world.other_letter.letter.pk), ANYONES),
            Case("a letter under the wrong campaign", url(a, world.other_letter.letter.pk), NOBODY),
        ]
    if url_name.startswith("coordinate:batch_") or url_name == "coordinate:batch":
        return [
            Case("their team's batch", url(world.team_batch.pk), OWN_CAMPAIGN),
            Case("the whole campaign's batch", url(world.campaign_batch.pk), OWN_WHOLE_CAMPAIGN),
            Case("another campaign's batch", url(world.other_batch.pk), ANYONES),
        ]
    if url_name == "coordinate:review":
        ids = [s.letter.pk for s in (world.team_letter, world.campaign_letter, world.draft_letter)]
        return [
            Case(
                "their team's letter",
                url(a),
                OWN_CAMPAIGN,
                {"action": "return", "comment": "Fix it", "letters": [world.team_letter.letter.pk]},
            ),
            Case(
                "every letter of the campaign",
                url(a),
                OWN_CAMPAIGN,
                {"action": "return", "comment": "Fix it", "letters": ids},
            ),
            Case(
                "another campaign's letter under theirs",
                url(a),
                OWN_CAMPAIGN,
                {"action": "approve", "letters": [world.other_letter.letter.pk]},
            ),
            Case(
                "another campaign",
                url(b),
                ANYONES,
                {"action": "return", "comment": "x", "letters": [world.other_letter.letter.pk]},
            ),
        ]
    # The pages of one campaign.
    return [
        Case("their campaign", url(a), OWN_CAMPAIGN),
        Case("another campaign", url(b), ANYONES),
    ]


def all_url_names() -> dict[str, str]:
    """{namespaced name: route} of every URL the project serves."""
    names: dict[str, str] = {}

    def walk(resolver: URLResolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, prefix + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif isinstance(pattern, URLPattern) and pattern.name:
                names[prefix + pattern.name] = str(pattern.pattern)

    walk(get_resolver(), "")
    return names


def admin_model_url_names() -> set[str]:
    names = set()
    for model in admin.site._registry:
        for suffix in permissions.MODEL_URL_SUFFIXES:
            names.add(f"admin:{model._meta.app_label}_{model._meta.model_name}_{suffix}")
    return names


def test_the_matrix_lists_every_url():
    listed = {page.url_name for page in PAGES} | set(permissions.SITE_URLS)
    listed |= set(permissions.ACCOUNT_URLS)
    listed |= {view.url_name for view in permissions.ADMIN_VIEWS} | admin_model_url_names()
    unlisted = sorted(set(all_url_names()) - listed)
    assert unlisted == [], (
        "URLs the permission matrix (coordinate/permissions.py) does not list: say who may open "
        f"them there, then regenerate docs/permissions.md: {unlisted}"
    )
    stale = sorted({page.url_name for page in PAGES} - set(all_url_names()))
    assert stale == [], f"the matrix lists URLs that do not exist: {stale}"


def test_the_matrix_lists_every_admin_model():
    registered = {model._meta.label for model in admin.site._registry}
    listed = set(permissions.ADMIN_MODELS_BY_LABEL)
    assert registered - listed == set(), (
        "admin models the permission matrix (coordinate/permissions.py) does not list: "
        f"{sorted(registered - listed)}"
    )
    assert listed - registered == set(), f"listed, not registered: {sorted(listed - registered)}"


def test_docs_permissions_md_is_generated_from_the_matrix(settings):
    path = settings.BASE_DIR / "docs" / "permissions.md"
    assert path.read_text(encoding="utf-8") == permissions_doc.render(), (
        "docs/permissions.md is stale: run `python manage.py permissions_doc`"
    )


def test_the_groups_hold_exactly_what_the_matrix_gives():
    for name, wanted in GROUP_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        held = {
            (p.content_type.app_label, p.codename)
            for p in group.permissions.select_related("content_type")
        }
        assert held == {
            (app, f"{action}_{model}")
            for app, models in wanted.items()
            for model, actions in models.items()
            for action in actions
        }
    assert GROUP_PERMISSIONS["Coordinators"] == {}


@contextmanager
def rolled_back():
    """Every role starts from the same world: what one role's requests changed is rolled back
    before the next role's turn (one world per test keeps the module quick)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.url_name)
def test_page(page, world):
    for role in Role:
        with rolled_back():
            try_page(page, role, world)


def try_page(page, role: Role, world: World) -> None:
    client = client_for(role, world)
    reach = page.reach_of(role)
    for case in page_cases(page.url_name, role, world):
        allowed = reach in case.opened_by
        for method in page.methods:
            before = untouchable(role, world)
            data = case.data or POST_DATA.get(page.url_name, {})
            response = client.get(case.url) if method == "GET" else client.post(case.url, data)
            where = f"{role} {method} {page.url_name} ({case.label}): {response.status_code}"
            location = response.get("Location", "")
            if allowed:
                # 400: reached, and the form shown again with the reason (bad input changes
                # nothing; the page it shows is checked for foreign data below like any other).
                ok = (200, 302, 400) if method == "POST" else (200, 302)
                assert response.status_code in ok, where
                assert not location.startswith((LOGIN, ADMIN_LOGIN)), where
            elif role in (Role.ANONYMOUS, Role.STUDENT) and page.url_name.startswith("coord"):
                assert response.status_code == 302 and location.startswith(LOGIN), where
            else:
                assert response.status_code in (403, 404), where
            assert_no_foreign_data(
                body_of(response), role, world, allowed=allowed, link=case.link and allowed
            )
            if case.check_effects:
                assert_untouched(before, untouchable(role, world), where)


# --- The admin --------------------------------------------------------------------------------


def registered(label: str):
    return next(model for model in admin.site._registry if model._meta.label == label)


def admin_instance(label: str, world: World):
    model = registered(label)
    if label == "campaign.CongressImport" and not model.objects.exists():
        model.objects.create(snapshot_on=datetime.date(2026, 6, 15), source="a test folder")
    special = {
        "campaign.Campaign": world.campaign,
        "campaign.Team": world.team,
        "letters.Letter": world.team_letter.letter,
        "letters.Batch": world.team_batch,
        "letters.Delivery": world.team_batch.deliveries.first(),
        "letters.LetterTemplate": world.campaign.templates.first(),
        "campaign.Official": world.campaign.targets.first(),
        "auth.User": world.users[Role.COORDINATOR],
        "auth.Group": Group.objects.get(name="Content editors"),
    }
    return special.get(label) or model.objects.order_by("pk").first()


def request_for(role: Role, world: World):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/admin/")
    request.user = world.users.get(role) or AnonymousUser()
    return request


def permissions_held(model_admin, request, obj) -> frozenset[Action]:
    held = set()
    if model_admin.has_view_permission(request, obj):
        held.add(Action.VIEW)
    if model_admin.has_add_permission(request):
        held.add(Action.ADD)
    if model_admin.has_change_permission(request, obj):
        held.add(Action.CHANGE)
    if model_admin.has_delete_permission(request, obj):
        held.add(Action.DELETE)
    return frozenset(held)


def refused(response, role: Role) -> bool:
    if role in (Role.ANONYMOUS, Role.STUDENT, Role.TEAM_COORDINATOR):  # not staff: log in
        return response.status_code == 302 and response["Location"].startswith(ADMIN_LOGIN)
    return response.status_code == 403


@pytest.mark.parametrize("entry", permissions.ADMIN_MODELS, ids=lambda entry: entry.label)
def test_admin_model(entry, world):
    for role in Role:
        with rolled_back():
            try_admin_model(entry, role, world)


def try_admin_model(entry, role: Role, world: World) -> None:
    model = registered(entry.label)
    model_admin = admin.site._registry[model]
    instance = admin_instance(entry.label, world)
    granted = entry.actions_of(role)
    request = request_for(role, world)
    if role in world.users:
        assert permissions_held(model_admin, request, instance) == granted, entry.label
        assert model_admin.has_module_permission(request) == bool(granted)
        if granted & {Action.VIEW, Action.CHANGE}:
            actions = set(model_admin.get_actions(request))
            assert actions == entry.admin_actions_of(role), f"{role}: {entry.label} actions"

    client = client_for(role, world)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    pages = {
        "changelist": (reverse(f"{prefix}_changelist"), granted & {Action.VIEW, Action.CHANGE}),
        "add": (reverse(f"{prefix}_add"), granted & {Action.ADD}),
        "change": (
            reverse(f"{prefix}_change", args=[instance.pk]),
            granted & {Action.VIEW, Action.CHANGE},
        ),
        "history": (
            reverse(f"{prefix}_history", args=[instance.pk]),
            granted & {Action.VIEW, Action.CHANGE},
        ),
        "delete": (reverse(f"{prefix}_delete", args=[instance.pk]), granted & {Action.DELETE}),
    }
    for name, (url, allowed) in pages.items():
        response = client.get(url)
        where = f"{role} GET {entry.label} {name}: {response.status_code}"
        if allowed:
            assert response.status_code == 200, where
        else:
            assert refused(response, role), where
        text = body_of(response)
        # In the admin, an administrator may see every letter (drafts too); nobody else any.
        visible = world.students if allowed and role == Role.ADMINISTRATOR else []
        assert_no_foreign_data(text, role, world, allowed=False, visible=visible)
        for hidden in entry.never_shown:
            assert f'name="{hidden}"' not in text and "Token:" not in text, where

    before = untouchable(Role.ANONYMOUS, world)
    if Action.CHANGE not in granted:
        response = client.post(pages["change"][0], {"name": "x", "title": "x"})
        assert refused(response, role), f"{role} POST {entry.label} change"
    if Action.DELETE not in granted:
        response = client.post(pages["delete"][0], {"post": "yes"})
        assert refused(response, role), f"{role} POST {entry.label} delete"
        assert type(instance).objects.filter(pk=instance.pk).exists()
    if not granted & {Action.CHANGE, Action.DELETE}:
        assert_untouched(before, untouchable(Role.ANONYMOUS, world), f"{role} {entry.label}")


@pytest.mark.parametrize("entry", permissions.ADMIN_MODELS, ids=lambda entry: entry.label)
def test_fields_only_an_administrator_changes(entry, world):
    model = registered(entry.label)
    model_admin = admin.site._registry[model]
    instance = admin_instance(entry.label, world)
    for role in (Role.CONTENT_EDITOR, Role.ADMINISTRATOR):
        request = request_for(role, world)
        if Action.CHANGE not in entry.actions_of(role):
            continue
        form_fields = set(model_admin.get_form(request, instance).base_fields)
        restricted = set(entry.administrator_only_fields)
        if role == Role.CONTENT_EDITOR:
            assert form_fields & restricted == set(), entry.label
            shown = model_admin.get_fields(request, instance)
            assert "coordinators" not in shown  # not even read
        else:
            assert restricted <= form_fields, entry.label
    for role in list(Role):
        if role in world.users:
            shown = admin.site._registry[model].get_fields(request_for(role, world), instance)
            assert set(entry.never_shown) & set(shown) == set()


ADMIN_VIEW_REQUESTS = {
    "admin:auth_user_password_change": ("GET", {}),
    "admin:campaign_official_import": ("GET", {}),
    "admin:campaign_official_export": ("GET", {}),
    "admin:letters_lettertemplate_preview": ("POST", {"subject": "Hi", "body": "Hello."}),
    "admin:letters_lettertemplate_preview_pdf": ("POST", {"subject": "Hi", "body": "Hello."}),
}


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("view", permissions.ADMIN_VIEWS, ids=lambda view: view.url_name)
def test_admin_view(view, role, world):
    method, data = ADMIN_VIEW_REQUESTS[view.url_name]
    data = {**data, "campaign": world.campaign.pk} if data else data
    client = client_for(role, world)
    args = [world.users[Role.COORDINATOR].pk] if view.url_name.startswith("admin:auth") else []
    url = reverse(view.url_name, args=args)
    response = client.get(url) if method == "GET" else client.post(url, data)
    if role in view.roles:
        assert response.status_code == 200, f"{role} {view.url_name}: {response.status_code}"
    else:
        assert refused(response, role), f"{role} {view.url_name}: {response.status_code}"
    assert_no_foreign_data(body_of(response), role, world, allowed=False)


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_admin_index_lists_only_what_the_role_may_open(role, world):
    response = client_for(role, world).get(reverse("admin:index"))
    if role in (Role.ANONYMOUS, Role.STUDENT, Role.TEAM_COORDINATOR):
        assert refused(response, role)
        return
    assert response.status_code == 200
    listed = {
        entry.label
        for entry in permissions.ADMIN_MODELS
        if reverse("admin:{}_{}_changelist".format(*entry.label.lower().split(".")))
        in response.content.decode()
    }
    expected = {entry.label for entry in permissions.ADMIN_MODELS if entry.actions_of(role)}
    assert listed == expected
