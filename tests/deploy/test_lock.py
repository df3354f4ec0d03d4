"""The lock files pin every package with its hashes, satisfy pyproject.toml, agree with each
other, and are what make, CI and the production recipe install; make audit skips, saying why,
when no vulnerability database answers."""

import re
import tomllib
from pathlib import Path

from django.conf import settings
from packaging.requirements import Requirement

ROOT = Path(settings.BASE_DIR)
_ENTRY = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})+)", re.M)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    entries = {canonical(m.group(1)): m.group(2) for m in _ENTRY.finditer(text)}
    requirement_lines = [line for line in text.splitlines() if re.match(r"^[A-Za-z0-9]", line)]
    assert len(entries) == len(requirement_lines), f"{lock}: a requirement without ==/hashes"
    return entries


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_every_dependency_is_pinned_with_hashes_and_satisfies_pyproject():
    project = pyproject()["project"]
    for lock, wanted in (
        ("requirements.txt", project["dependencies"]),
        ("requirements-dev.txt", project["dependencies"] + project["optional-dependencies"]["dev"]),
    ):
        pinned = pins(lock)
        for line in wanted:
            requirement = Requirement(line)
            name = canonical(requirement.name)
            assert name in pinned, f"{lock} lacks {name}: run make lock"
            assert requirement.specifier.contains(pinned[name], prereleases=True), (
                f"{lock} pins {name}=={pinned[name]}, outside {requirement.specifier}: make lock"
            )
        if "[binary]" in " ".join(wanted):
            assert "psycopg-binary" in pinned


def test_the_two_locks_agree():
    production, development = pins("requirements.txt"), pins("requirements-dev.txt")
    assert set(production) <= set(development)
    assert {n: v for n, v in development.items() if n in production} == production


def test_make_ci_and_the_recipe_install_from_the_locks():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r requirements-dev.txt" in makefile
    assert "$(STAMP): requirements-dev.txt" in makefile
    assert "make audit" in (ROOT / ".ci/run").read_text()
    upgrade = (ROOT / "deploy/upgrade.sh").read_text()
    assert "--require-hashes -r requirements.txt" in upgrade
    for doc in ("README.md", "docs/operations.md"):
        assert "--require-hashes -r requirements.txt" in (ROOT / doc).read_text(), doc


def test_the_audit_skips_with_a_message_when_no_database_answers(monkeypatch, capsys):
    import scripts.audit as audit

    monkeypatch.setattr(audit, "reachable", lambda service: f"{service}: unreachable (test)")
    assert audit.main() == 0
    out = capsys.readouterr().out
    assert "pip-audit skipped: no vulnerability database can be reached" in out
    assert "pypi: unreachable (test)" in out


def test_the_audit_fails_on_a_known_vulnerability(monkeypatch, capsys):
    import json
    import subprocess

    import scripts.audit as audit

    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "PYSEC-0", "fix_versions": ["5.2.1"]}],
            },
            {"name": "other", "version": "1.0", "skip_reason": "not found"},
        ]
    }
    monkeypatch.setattr(audit, "reachable", lambda service: "")
    monkeypatch.setattr(
        subprocess,
        "run",
        lambda *a, **k: subprocess.CompletedProcess(a, 1, stdout=json.dumps(report), stderr=""),
    )
    assert audit.main() == 1
    assert "django 5.2.0: PYSEC-0 (fixed in 5.2.1)" in capsys.readouterr().out


def test_the_audit_counts_a_run_that_looked_nothing_up_as_skipped(monkeypatch, capsys):
    import json
    import subprocess

    import scripts.audit as audit

    report = {"dependencies": [{"name": "django", "version": "5.2", "skip_reason": "not found"}]}
    monkeypatch.setattr(audit, "reachable", lambda service: "")
    monkeypatch.setattr(
        subprocess,
        "run",
        lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout=json.dumps(report), stderr=""),
    )
    assert audit.main() == 0
    assert "pip-audit skipped" in capsys.readouterr().out
