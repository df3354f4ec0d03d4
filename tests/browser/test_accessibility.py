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
        "/privacy/",
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
    page.get_by_label("Email address or user name").fill(coordinator.username)
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


def test_account_pages_have_no_serious_violations(axe, site, coordinator):
    """The pages of issue #19: log in with a waiting invitation, password reset, asking to
    coordinate, making an account from an invitation, the account pages, the second factor."""
    page = axe
    invitation_url = f"/coordinate/invitation/{site['someone_elses'].token}/"
    anonymous = [
        f"/accounts/login/?next={invitation_url}",
        "/accounts/password-reset/",
        "/accounts/password-reset/sent/",
        "/accounts/reset/MQ/not-a-token/",
        "/accounts/reset/done/",
        "/accounts/ask-to-coordinate/",
        "/accounts/ask-to-coordinate/sent/",
        "/accounts/email/confirm/not-a-link/",
        invitation_url,
    ]
    violations = [violation for url in anonymous for violation in audit(page, url)]
    # The account form with Django's password errors on it.
    page.goto(invitation_url)
    page.get_by_label("Your name").fill("Noa")
    page.locator("#id_password1").fill("12345678")
    page.locator("#id_password2").fill("12345678")
    page.get_by_role("button", name="Create the account and accept").click()
    page.get_by_text("This password is too common.").wait_for()
    page.add_script_tag(path=str(AXE))
    violations += [f"account form with errors: {v}" for v in page.evaluate(RUN_AXE)]

    page.goto("/accounts/login/")
    page.get_by_label("Email address or user name").fill(coordinator.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/coordinate/")
    for url in [
        "/accounts/",
        "/accounts/password/",
        "/accounts/email/",
        "/accounts/delete/",
        "/accounts/two-factor/",
    ]:
        violations += audit(page, url)
    assert not violations, "\n".join(violations)


def test_second_factor_pages_have_no_serious_violations(axe, administrator, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.ADMIN_REQUIRE_TWO_FACTOR = True
    administrator.set_password("correct horse battery staple")
    administrator.save()
    page = axe
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(administrator.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("The admin needs a second step").wait_for()
    page.add_script_tag(path=str(AXE))
    violations = list(page.evaluate(RUN_AXE))
    violations += audit(page, "/accounts/two-factor/setup/")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Add the app").click()
    page.get_by_text("That code is not right").wait_for()
    page.add_script_tag(path=str(AXE))
    violations += list(page.evaluate(RUN_AXE))
    TOTPDevice.objects.filter(user=administrator).update(confirmed=True)
    violations += audit(page, "/accounts/two-factor/")
    assert not violations, "\n".join(violations)


# --- Focus: every interactive element shows where the keyboard is (WCAG 2.4.7, 1.4.11) ----------

MARK_UNFOCUSED = """() => {
  const style = (el) => { const s = getComputedStyle(el); return {
    outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow,
    background: s.backgroundColor, border: s.borderColor }; };
  window.__unfocused = {};
  document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]")
    .forEach((el, index) => { el.dataset.focusIndex = index; window.__unfocused[index] = style(el); });
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  if (el.dataset.focusIndex === undefined) {
    // Made by a script after the page loaded (the order buttons): its unfocused style now.
    el.dataset.focusIndex = "added-" + Object.keys(window.__unfocused).length;
    el.blur();
    const s = getComputedStyle(el);
    window.__unfocused[el.dataset.focusIndex] = { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
      shadow: s.boxShadow, background: s.backgroundColor, border: s.borderColor };
    el.focus();
  }
  const s = getComputedStyle(el);
  const now = { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
    shadow: s.boxShadow, background: s.backgroundColor, border: s.borderColor };
  const rgb = (text) => (text.match(/[\\d.]+/g) || [0, 0, 0]).slice(0, 4).map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  // What the ring is drawn on: the nearest ancestor with a background of its own.
  let behind = [255, 255, 255];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const color = rgb(getComputedStyle(node).backgroundColor);
    if (color.length < 4 || color[3] > 0.5) { behind = color; break; }
  }
  const a = luminance(rgb(s.outlineColor)), b = luminance(behind);
  const contrast = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const before = window.__unfocused[el.dataset.focusIndex];
  return { index: el.dataset.focusIndex,
    name: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} “${(el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 30)}”`,
    ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
    contrast: Math.round(contrast * 10) / 10,
    changed: JSON.stringify(before) !== JSON.stringify(now) };
}"""


walked: dict[str, list[str]] = {}


def focus_problems(page, url: str, limit: int = 400) -> tuple[int, list[str]]:
    """Tab through the whole page; every element that takes the focus must change visibly: a
    ring at least 2px wide with 3:1 contrast against what it is drawn on."""
    if url:
        page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate(MARK_UNFOCUSED)
    # Start from the top (the login page puts the focus in its first field): a click on the
    # navbar's empty corner moves the starting point without focusing anything.
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.mouse.click(1, 1)
    seen, problems, names = set(), [], []
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUSED)
        if found is None:
            if seen:
                break  # the focus left the page's elements: the end was reached
            continue
        if found["index"] in seen:
            break
        seen.add(found["index"])
        names.append(found["name"])
        if not (found["changed"] and found["ring"] and found["contrast"] >= 3):
            problems.append(f"{url or page.url}: {found}")
    walked[url] = names
    return len(seen), problems


def test_every_focused_element_shows_a_visible_ring(page, site, coordinator):
    page.set_viewport_size({"width": 1280, "height": 900})
    campaign, draft, submitted = site["campaign"], site["draft"], site["submitted"]
    student = [
        "/",
        f"/campaigns/{campaign.slug}/",
        "/sources/",
        "/privacy/",
        f"/campaigns/{campaign.slug}/write/",
        f"/letters/{draft.token}/",
        f"/letters/{submitted.token}/",
        f"/letters/{draft.token}/delete/",
        "/accounts/login/",
    ]
    counted, problems = {}, []
    for url in student:
        count, found = focus_problems(page, url)
        counted[url], problems = count, problems + found
    page.goto("/accounts/login/")
    page.get_by_label("Email address or user name").fill(coordinator.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/coordinate/")
    letter = Letter.objects.get(first_name="Waiting")
    coordinator_pages = [
        "/coordinate/",
        "/coordinate/new/",
        f"/coordinate/{campaign.slug}/",
        f"/coordinate/{campaign.slug}/letters/",
        f"/coordinate/{campaign.slug}/letters/{letter.pk}/",
        f"/coordinate/{campaign.slug}/batches/",
        f"/coordinate/batch/{site['batch'].pk}/",
        f"/coordinate/{campaign.slug}/teams/",
        f"/coordinate/{campaign.slug}/settings/",
        f"/coordinate/{campaign.slug}/coordinators/",
    ]
    for url in coordinator_pages:
        count, found = focus_problems(page, url)
        counted[url], problems = count, problems + found
    # A confirmation page (the answer to "New code").
    page.goto(f"/coordinate/{campaign.slug}/teams/")
    page.get_by_role("button", name="New code for Room 12").click()
    page.get_by_role("heading", name="Give “Room 12” a new join code?").wait_for()
    count, found = focus_problems(page, "")
    counted["confirm"], problems = count, problems + found
    assert not problems, "\n".join(problems)
    # Each page was really walked through (every page has at least its menu and a few more).
    assert min(counted.values()) >= 5, {u: walked.get(u) for u, c in counted.items() if c < 5}


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
