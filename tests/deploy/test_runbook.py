"""docs/operations.md covers what an operator needs, and names only things that exist: sections,
management commands, settings, files. (Its commands were run by hand; see the commit notes.)"""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
RUNBOOK = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")


def test_the_runbook_has_every_section():
    headings = re.findall(r"^## (.+)$", RUNBOOK, re.M)
    assert headings == [
        "First deploy",
        "Configuration",
        "Upgrade",
        "Backup and restore",
        "Redis",
        "Logs",
        "What to watch",
    ]


def test_every_management_command_it_names_exists():
    named = set(re.findall(r"deploy/manage ([a-z_]+)", RUNBOOK))
    assert {"createsuperuser", "load_seed", "check", "shell", "purge_personal_data"} <= named
    assert named <= set(get_commands()), named - set(get_commands())


def test_every_setting_it_names_is_in_env_example():
    example = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"`([A-Z][A-Z0-9_]{3,})(?:=[^`]*)?`", RUNBOOK))
    sql = {"CONNECT"}  # a privilege, not a setting
    missing = {n for n in named - sql if not re.search(rf"^(# )?{n}=", example, re.M)}
    assert not missing


def test_every_file_of_the_project_it_names_exists():
    for name in re.findall(
        r"(?<![\w/])(deploy/[\w.-]+|docs/[\w.-]+|\.env\.example|requirements\.txt)", RUNBOOK
    ):
        assert list(ROOT.glob(name + "*")), name


def test_the_first_deploy_sets_the_database_owner_and_the_backups_keep_the_three_things():
    assert "createdb --owner letters letters" in RUNBOOK
    assert "permission denied for schema public" in RUNBOOK
    for kept in ("pg_dump", "MEDIA_ROOT", "/etc/campaign-letters/secret"):
        assert kept in RUNBOOK.split("## Backup and restore")[1].split("\n## ")[0]
