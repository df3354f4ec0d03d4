"""Accessibility: axe-core finds no serious or critical violation on any page, and a student
can write, preview and submit a letter with the keyboard alone."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from letters import services
from letters.models import Batch, Letter
from tests.conftest import require
from tests.factories import LetterFactory, TeamFactory, approved_letters

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", ")}`);
}"""


def audit(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    return [f"{url}: {violation}" for violation in page.evaluate(RUN_AXE)]


@pytest.fixture
def axe(chromium, live_server):
    """A page that may run axe-core: the site's CSP (rightly) refuses injected scripts."""
    require(AXE.exists(), "axe-core", "run `make test`, which installs it with npm (`npm ci`)")
    context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def site(campaign, coordinator, officials, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_seed", verbosity=0)
    TeamFactory(campaign=campaign, coordinator=coordinator, name="Room 12")
    draft = LetterFactory(campaign=campaign, first_name="Draft")
    submitted = services.letter_submit(
        letter=LetterFactory(campaign=campaign, first_name="Waiting")
    )
    approved_letters(campaign, 2)
    from letters import batches

    batch = batches.batch_start(campaign=campaign, method="print", user=coordinator)
    from campaign.models import Campaign
    from coordinate import services as campaign_services

    closed = Campaign.objects.get(slug="reconsider-mine-transfers")
    campaign_services.campaign_close(campaign=closed)
    # To the coordinator who opens it (an invitation binds to its address), and to someone else.
    invitation = campaign_services.campaign_invite(
        campaign=campaign, email=coordinator.email, invited_by=coordinator
    )
    someone_elses = campaign_services.campaign_invite(
        campaign=campaign, email="colleague@example.org", invited_by=coordinator
    )
    return {
        "campaign": campaign,
        "draft": draft,
        "submitted": submitted,
        "batch": batch,
        "closed": closed,
        "invitation": invitation,
        "someone_elses": someone_elses,
    }


def test_public_pages_have_no_serious_violations(axe, site):
    page = axe
    campaign, draft, submitted = site["campaign"], site["draft"], site["submitted"]
    urls = [
        "/",
        f"/campaigns/{campaign.slug}/",
        "/campaigns/join-the-mine-ban-treaty/",
        "/sources/",
        f"/campaigns/{campaign.slug}/write/",
        f"/letters/{draft.token}/",
        f"/letters/{submitted.token}/",
        f"/letters/{draft.token}/edit/",
        f"/letters/{draft.token}/delete/",
        f"/campaigns/{site['closed'].slug}/write/",
        "/accounts/login/",
    ]
    violations = [violation for url in urls for violation in audit(page, url)]
    assert not violations, "\n".join(violations)


def test_a_form_with_errors_has_no_serious_violations(axe, site):
    page = axe
    page.goto(f"/campaigns/{site['campaign'].slug}/write/")
    page.get_by_role("button", name="Preview my letter").click()
    page.get_by_text("Please check").wait_for()
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE)
    assert not found, "\n".join(found)


def test_coordinator_pages_have_no_serious_violations(axe, site, coordinator):
    page = axe
    campaign, batch = site["campaign"], site["batch"]
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(coordinator.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/coordinate/")
    letter = Letter.objects.get(first_name="Waiting")
    urls = [
        "/coordinate/",
        "/coordinate/new/",
        f"/coordinate/{campaign.slug}/",
        f"/coordinate/{campaign.slug}/letters/",
        f"/coordinate/{campaign.slug}/letters/{letter.pk}/",
        f"/coordinate/{campaign.slug}/batches/",
        f"/coordinate/batch/{batch.pk}/",
        f"/coordinate/{campaign.slug}/teams/",
        f"/coordinate/{campaign.slug}/settings/",
        f"/coordinate/{campaign.slug}/coordinators/",
        f"/coordinate/invitation/{site['invitation'].token}/",
        f"/coordinate/invitation/{site['someone_elses'].token}/",
        f"/coordinate/invitation/{'x' * 43}/",
    ]
    violations = [violation for url in urls for violation in audit(page, url)]
    assert not violations, "\n".join(violations)
    assert Batch.objects.exists()


def tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the element matching `selector` has the focus (as a keyboard user)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_keyboard_only_student_writes_previews_and_submits(page, campaign, recommendations):
    page.goto(f"/campaigns/{campaign.slug}/")
    tab_to(page, "a.skip-link")
    tab_to(page, f"a[href='/campaigns/{campaign.slug}/write/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/write/")
    for field, text in [
        ("first_name", "Kai"),
        ("last_name", "Tanaka"),
        ("school", "Hill Academy"),
        ("city", "Elkins"),
        ("state", "West Virginia"),
    ]:
        tab_to(page, f"[name={field}]")
        page.keyboard.type(text)
    tab_to(page, f"#recommendation-{recommendations[3].pk}")
    page.keyboard.press("Space")
    tab_to(page, "#chosen-order button[aria-label^='Move up']:not([disabled])")
    up = page.evaluate("document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Enter")
    assert "Moved to position" in page.locator("#order-status").inner_text()
    tab_to(page, "[name=personal_paragraph]")
    page.keyboard.type("I walk my dog past a field that used to be a battlefield.")
    tab_to(page, "button[type=submit].btn-brand")
    page.keyboard.press("Enter")
    page.wait_for_url("**/letters/**")
    tab_to(page, "form[action$='/submit/'] button")
    page.keyboard.press("Enter")
    page.get_by_text("A coordinator will review it").first.wait_for()
    letter = Letter.objects.get()
    assert (letter.full_name, letter.status) == ("Kai Tanaka", Letter.Status.SUBMITTED)
    assert "Move up" in up
    assert letter.personal_paragraph.startswith("I walk my dog")


# --- The admin pages the project customised ------------------------------------------------------

#: The part of a page that scrolls sideways, or a table wider than its box (columns out of view).
HIDDEN_COLUMNS = """() => {
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) found.push(`the page is ${root.scrollWidth} px wide`);
  for (const table of document.querySelectorAll("table")) {
    if (!table.getClientRects().length) continue;  // hidden (a collapsed fieldset)
    const box = table.parentElement;
    const right = table.getBoundingClientRect().right;
    if (box.scrollWidth > box.clientWidth + 1 || right > root.clientWidth + 1)
      found.push(`a table is ${Math.round(table.getBoundingClientRect().width)} px wide in a box of ${box.clientWidth} px`);
  }
  return found;
}"""


def admin_urls(site, *, administrator: bool) -> list[str]:
    from campaign.models import Fact, Official, RecommendationList, Source

    campaign = site["campaign"]
    template = campaign.templates.get()
    listed = RecommendationList.objects.order_by("-pk").first()  # the seed's, with seven items
    urls = [
        "/admin/campaign/source/",
        f"/admin/campaign/source/{Source.objects.first().pk}/change/",
        "/admin/campaign/fact/",
        f"/admin/campaign/fact/{Fact.objects.first().pk}/change/",
        "/admin/campaign/recommendationlist/",
        f"/admin/campaign/recommendationlist/{listed.pk}/change/",
        "/admin/campaign/official/",
        f"/admin/campaign/official/{Official.objects.first().pk}/change/",
        "/admin/campaign/campaign/",
        f"/admin/campaign/campaign/{campaign.pk}/change/",
        "/admin/letters/lettertemplate/",
        f"/admin/letters/lettertemplate/{template.pk}/change/",
        "/admin/letters/lettertemplate/add/",
    ]
    if administrator:  # pages a content editor may not open
        urls += ["/admin/campaign/official/import/", "/admin/campaign/official/add/"]
    return urls


@pytest.mark.parametrize("role", ["administrator", "content_editor"])
def test_customised_admin_pages_have_no_serious_violations_nor_hidden_columns(
    axe, site, live_server, request, role
):
    """At 1280 px (the browser's default width here), as an administrator and as a content
    editor, in the English and in the Spanish admin."""
    page = axe
    user = request.getfixturevalue(role)
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    assert page.viewport_size["width"] == 1280
    problems = []
    for language in ("en", "es"):
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        for url in admin_urls(site, administrator=role == "administrator"):
            problems += [f"[{language}] {found}" for found in audit(page, url)]
            assert page.locator("html").get_attribute("lang") == language, url
            assert page.locator("#content h1").count(), f"{url} did not open"
            problems += [f"[{language}] {url}: {found}" for found in page.evaluate(HIDDEN_COLUMNS)]
    assert not problems, "\n".join(problems)
