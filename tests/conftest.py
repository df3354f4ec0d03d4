"""Fixtures shared by every test: the named people and a ready campaign."""

import os
import shutil

import pytest
from django.conf import settings

from tests import factories

# Speed: a fast hasher, and static files served without a manifest (no collectstatic needed).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

IN_CI = os.environ.get("CI", "").lower() == "true"

# Under pytest-xdist (`make test` runs `-n auto`) each worker gets its own media folder;
# pytest-django gives each its own test database (a `_gw0`, `_gw1` suffix on the name).
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if XDIST_WORKER:
    settings.MEDIA_ROOT = settings.MEDIA_ROOT / f"test-{XDIST_WORKER}"

#: Fixtures that give a test the database (pytest-django's, and its live server's).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_collection_modifyitems(items):
    """Mark the tests that use the database: CI's PostgreSQL pass runs only those (`-m database`);
    a test without database access runs the same whatever the database, so once is enough."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & DATABASE_FIXTURES:
            item.add_marker(pytest.mark.database)


def require(condition: bool, what: str, how: str) -> None:
    """Skip locally when a service or tool is missing; in CI that is a failure."""
    if condition:
        return
    message = f"{what} is not available: {how}"
    if IN_CI:
        pytest.fail(f"CI=true requires it. {message}", pytrace=False)
    pytest.skip(message)


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


@pytest.fixture(autouse=True)
def _english():
    """A request in Spanish leaves Spanish active in the thread: each test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counts live in the cache: each test starts with none."""
    from django.core.cache import cache

    from campaign import content_cache

    cache.clear()
    # ... and with the cache in use: a test that stopped Redis leaves no process-wide pause.
    content_cache._down_until = 0.0
    content_cache._bump_pending = False
    # ... and outside a request: a streaming response a test never read never sent
    # request_finished (Django's test client sends it once the content is read).
    content_cache._request.reads = None


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Unit tests run tasks in-process; integration tests start a real worker instead."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def coordinator(db):
    return factories.UserFactory(username="casey_coordinator")


@pytest.fixture
def other_coordinator(db):
    return factories.UserFactory(username="olive_other")


@pytest.fixture
def administrator(db):
    return factories.UserFactory(username="ada_admin", is_staff=True, is_superuser=True)


@pytest.fixture
def content_editor(db):
    """A staff user in the "Content editors" group (coordinate/permissions.py)."""
    from django.contrib.auth.models import Group

    editor = factories.UserFactory(username="edith_editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    return editor


@pytest.fixture
def officials(db):
    president = factories.OfficialFactory(
        slug="president",
        office="President of the United States",
        name="Joseph R. Biden",
        salutation="Dear Mr. President",
        postal_address="The White House\n1600 Pennsylvania Avenue NW\nWashington, DC 20500",
    )
    secretary = factories.OfficialFactory(
        slug="secretary-of-state",
        office="Secretary of State",
        name="Antony Blinken",
        salutation="Dear Secretary Blinken",
        postal_address="U.S. Department of State\n2201 C Street NW\nWashington, DC 20520",
    )
    return [president, secretary]


@pytest.fixture
def campaign(db, officials, coordinator):
    """An open campaign to two officials, with one list of four recommendations."""
    campaign = factories.CampaignFactory(
        slug="ban-landmines", title="Ban landmines now", review_required=True
    )
    source = factories.SourceFactory(
        title="Recommendations for a New U.S. Landmine Policy", publisher="USCBL-USCMC"
    )
    rec_list = factories.RecommendationListFactory(title="Policy asks", source=source)
    texts = [
        "Ban the use of antipersonnel landmines without geographic exceptions.",
        "Destroy stockpiled landmines on a public timeline.",
        "Accede to the Mine Ban Treaty.",
        "Increase support to Humanitarian Mine Action.",
    ]
    items = [
        factories.RecommendationFactory(recommendation_list=rec_list, position=i, text=text)
        for i, text in enumerate(texts, start=1)
    ]
    campaign.recommendation_lists.add(rec_list)
    campaign.default_recommendations.add(items[0], items[1])
    campaign.targets.set(officials)
    campaign.coordinators.add(coordinator)
    factories.LetterTemplateFactory(campaign=campaign)
    return campaign


@pytest.fixture
def recommendations(campaign):
    return list(campaign.recommendation_lists.get().items.order_by("position"))


@pytest.fixture
def student():
    """What a student types into the compose form."""
    return {
        "first_name": "Maya",
        "last_name": "Okafor",
        "email": "",
        "school": "Lincoln Middle School",
        "grade": "8",
        "city": "Morgantown",
        "state": "West Virginia",
        "team_code": "",
        "personal_paragraph": "My cousin in Cambodia walks past fields that are still not cleared.",
    }


# --- Browser ----------------------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    require(path is not None, "Chromium", "install it with `apt-get install chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - installed by make test
        require(False, "Playwright", "run `make test`, which installs it")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def shipped_congress(django_db_setup, django_db_blocker):
    """The shipped congress data, imported once for a test module (the import takes seconds)
    and removed after it."""
    from tests.campaign import congress_data

    with django_db_blocker.unblock():
        congress_data.import_shipped()
    yield
    with django_db_blocker.unblock():
        congress_data.remove_imported()
