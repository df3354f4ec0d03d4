"""The layout the README describes holds: dependencies point one way, migrations match the models,
every model has a factory, and every task the code queues or beat runs exists."""

import ast
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from config.celery import app as celery_app
from coordinate import accounts as coordinate_accounts
from coordinate import services as coordinate_services
from letters import task_names
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
#: What each app may import from the project
#: (config <- campaign <- letters <- replies <- coordinate).
ALLOWED = {
    "config": {"config"},
    "campaign": {"config", "campaign"},
    "letters": {"config", "campaign", "letters"},
    "replies": {"config", "campaign", "letters", "replies"},
    "coordinate": {"config", "campaign", "letters", "replies", "coordinate"},
}


def project_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found & set(ALLOWED)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_no_import_runs_upward(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(project_imports(path) - ALLOWED[app])
        for path in (ROOT / app).rglob("*.py")
        if project_imports(path) - ALLOWED[app]
    }
    assert wrong == {}


def test_the_check_finds_an_upward_import(tmp_path):
    module = tmp_path / "upward.py"
    module.write_text("from coordinate import access\n")
    assert project_imports(module) - ALLOWED["letters"] == {"coordinate"}


@pytest.mark.django_db
def test_migrations_match_the_models():
    output = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=output, stderr=output)


def test_every_model_has_a_factory():
    made = {
        factory._meta.model
        for factory in vars(factories).values()
        if isinstance(factory, type) and hasattr(factory, "_meta") and factory._meta.model
    }
    ours = {
        model
        for app in ("campaign", "letters", "replies")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert ours - made == set()


def test_every_task_the_code_queues_is_registered():
    names = [value for key, value in vars(task_names).items() if key.isupper()]
    names.append(coordinate_services.SEND_INVITATION)
    names.extend(coordinate_accounts.TASKS)
    assert [name for name in names if name not in celery_app.tasks] == []


def test_the_beat_schedule_names_registered_tasks():
    scheduled = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert scheduled  # reconcile and purge at least
    assert [name for name in scheduled if name not in celery_app.tasks] == []
