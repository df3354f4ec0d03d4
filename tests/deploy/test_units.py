"""The deploy files work: each systemd unit and the Procfile is parsed, systemd's `%` specifiers
are expanded as systemd expands them, and each command runs in its check form (gunicorn
--check-config, a Celery worker and beat started for real on a memory broker, manage.py's plan
and dry run). A unit that would not start fails here, not on a server."""

import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))
APP_DIR = "/srv/campaign-letters"
STATE_DIR = "/var/lib/campaign-letters"
BIN = Path(sys.executable).parent


# --- Reading unit files as systemd does -------------------------------------------------------


def parse_unit(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Sections of a unit file, each a list of (key, value) in order (keys may repeat)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = pending + raw.strip() if pending else raw.strip()
        pending = ""
        if not line or line[0] in "#;":
            continue
        if line.endswith("\\"):  # a continuation line
            pending = line[:-1] + " "
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
            continue
        assert current is not None, f"{path.name}: a setting before any section: {line}"
        assert "=" in line, f"{path.name}: not a key=value line: {line}"
        key, value = line.split("=", 1)
        sections[current].append((key.strip(), value.strip()))
    return sections


def values(unit: dict, section: str, key: str) -> list[str]:
    return [v for k, v in unit.get(section, []) if k == key]


def value(unit: dict, section: str, key: str) -> str:
    found = values(unit, section, key)
    assert len(found) == 1, f"expected one {key}= in [{section}], found {found}"
    return found[0]


def expand_specifiers(text: str, unit_name: str) -> str:
    """systemd's `%` specifiers for a system service (systemd.unit(5), "Specifiers")."""
    prefix = unit_name.rsplit(".", 1)[0]
    table = {
        "%": "%",
        "n": unit_name,
        "N": prefix,
        "p": prefix.split("@")[0],
        "H": socket.gethostname(),
        "l": socket.gethostname().split(".")[0],
        "S": "/var/lib",
        "C": "/var/cache",
        "L": "/var/log",
        "t": "/run",
        "E": "/etc",
        "T": "/tmp",
        "V": "/var/tmp",
        "h": "/root",
        "u": "root",
        "g": "root",
    }

    def replace(match: re.Match) -> str:
        letter = match.group(1)
        if letter not in table:
            raise ValueError(f"{unit_name}: unknown or unsupported specifier %{letter} in {text!r}")
        return table[letter]

    return re.sub(r"%(.)", replace, text)


def exec_argv(line: str, unit_name: str) -> list[str]:
    """An Exec*= line as systemd runs it: specifiers expanded, then split into words (systemd
    quotes like a shell); its `-@:+!` prefixes removed."""
    words = shlex.split(expand_specifiers(line, unit_name))
    words[0] = words[0].lstrip("-@:+!")
    assert words[0].startswith("/"), f"{unit_name}: the command must be an absolute path"
    return words


# --- Running the commands as this checkout ------------------------------------------------------


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """A production-like environment with a throwaway state folder and database."""
    (tmp_path / "var").mkdir()
    unset = {"DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_BROKER_URL", "CACHE_URL", "DATABASE_URL"}
    return {
        **{k: v for k, v in os.environ.items() if k not in unset},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": "https://letters.example.org",
        "ALLOWED_HOSTS": "letters.example.org",
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "var" / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
        "PYTHONUNBUFFERED": "1",
    }


def localised(argv: list[str], tmp_path: Path) -> list[str]:
    """The unit's paths mapped onto this checkout, its venv, and a temporary state folder."""
    out = []
    for word in argv:
        if word.startswith(f"{APP_DIR}/.venv/bin/"):
            word = str(BIN / word.rsplit("/", 1)[1])
        word = word.replace(STATE_DIR, str(tmp_path / "state")).replace(APP_DIR, str(ROOT))
        out.append(word)
    return out


def start_until(
    argv, env, *, ready: str, stop=signal.SIGTERM, timeout: float = 90, settled=None
) -> str:
    """Start a long-running command, wait for `ready` in its output (and then for `settled()`,
    if given, to be true), stop it; its output."""
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    seen = threading.Event()

    def read():
        for line in process.stdout:
            lines.append(line)
            if ready in line:
                seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    while not seen.is_set() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    while settled is not None and not settled() and time.monotonic() < deadline:
        time.sleep(0.2)
    if process.poll() is None:
        os.killpg(process.pid, stop)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    reader.join(5)
    output = "".join(lines)
    assert seen.is_set(), f"{' '.join(argv)} never said {ready!r}:\n{output[-4000:]}"
    return output


LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO|WARNING|ERROR|CRITICAL) (web|worker|beat) "
)


def assert_one_log_format(output: str) -> None:
    """Every line a process wrote is a log line of config/logs.py (no banner, no other format);
    tracebacks excepted, which follow their line."""
    lines = [line for line in output.splitlines() if line.strip()]
    strays = [
        line
        for line in lines
        if not LOG_LINE.match(line) and not line.startswith((" ", "Traceback", "\t"))
    ]
    assert not strays, "lines in another format:\n" + "\n".join(strays[:20])


def check_command(argv: list[str], env: dict, tmp_path: Path) -> str:
    """Run the check form of one of the app's commands; its output. Fails the test if it fails."""
    program = Path(argv[0]).name
    if program == "gunicorn":
        result = subprocess.run(
            [*argv, "--check-config"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout + result.stderr
    if program == "celery" and "worker" in argv:
        # Killed once ready: a warm shutdown of an idle worker only takes time.
        return start_until(argv, env, ready=" ready.", stop=signal.SIGKILL)
    if program == "celery" and "beat" in argv:
        schedule = tmp_path / "state"
        seen: list[set] = []

        def written() -> bool:
            if not schedule.is_dir():  # a command that keeps its schedule elsewhere
                return True
            # Beat writes its schedule file(s) a moment after it starts: stop it once they
            # exist and have stopped changing, so what a restart finds is what beat wrote.
            files = {(p.name, p.stat().st_size) for p in schedule.glob("celerybeat-schedule*")}
            seen.append(files)
            return bool(files) and len(seen) > 5 and all(f == files for f in seen[-6:])

        return start_until(argv, env, ready="beat: Starting", settled=written)
    if program.startswith("python") and argv[1] == "manage.py":
        extra = {"migrate": ["--plan"], "collectstatic": ["--dry-run"]}.get(argv[2], ["--help"])
        result = subprocess.run(
            [*argv, *extra], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout
    raise AssertionError(f"no check form known for {argv}")


# --- The systemd units --------------------------------------------------------------------------


def test_there_are_units_for_web_worker_and_beat():
    assert [u.name for u in UNITS] == [
        "campaign-letters-beat.service",
        "campaign-letters-web.service",
        "campaign-letters-worker.service",
    ]


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_each_unit_is_hardened(path):
    unit = parse_unit(path)
    service = dict(unit["Service"])
    assert service["User"] == service["Group"] == "campaign-letters"
    assert service["UMask"] == "0027"  # letter PDFs are not world readable
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["PrivateTmp"] == "yes"
    assert service["StateDirectory"] == "campaign-letters"
    # The writable paths are named: the state folder, and nothing of the code.
    writable = " ".join(values(unit, "Service", "ReadWritePaths")).split()
    assert writable == [STATE_DIR]
    assert service["EnvironmentFile"] == "/etc/campaign-letters/env"
    assert dict(unit["Install"])["WantedBy"] == "multi-user.target"


def test_the_web_unit_does_not_collect_static_files_or_migrate_at_every_start():
    unit = parse_unit(DEPLOY / "campaign-letters-web.service")
    assert values(unit, "Service", "ExecStartPre") == []
    assert "collectstatic" in (DEPLOY / "upgrade.sh").read_text()
    assert "migrate" in (DEPLOY / "upgrade.sh").read_text()


def test_beat_keeps_its_schedule_in_the_state_folder():
    name = "campaign-letters-beat.service"
    argv = exec_argv(value(parse_unit(DEPLOY / name), "Service", "ExecStart"), name)
    schedule = argv[argv.index("--schedule") + 1]
    assert schedule == f"{STATE_DIR}/celerybeat-schedule"


def test_an_unknown_specifier_is_caught():
    """What broke the worker unit: `%%H` reached Celery as `%H`, which it cannot expand."""
    argv = exec_argv("/bin/celery worker --hostname worker@%%H", "x.service")
    assert argv[-1] == "worker@%H"
    from celery.utils.nodenames import host_format

    with pytest.raises(ValueError, match="Unknown format"):
        host_format(argv[-1])
    with pytest.raises(ValueError, match="unknown or unsupported specifier"):
        expand_specifiers("worker@%Q", "x.service")


def test_the_worker_unit_starts_a_worker_named_after_the_host(production_env, tmp_path):
    name = "campaign-letters-worker.service"
    argv = exec_argv(value(parse_unit(DEPLOY / name), "Service", "ExecStart"), name)
    output = check_command(localised(argv, tmp_path), production_env, tmp_path)
    assert f"worker@{socket.gethostname()} ready." in output
    assert "Unknown format" not in output
    assert_one_log_format(output)


def test_the_beat_unit_starts_and_keeps_its_schedule_across_restarts(production_env, tmp_path):
    name = "campaign-letters-beat.service"
    argv = localised(
        exec_argv(value(parse_unit(DEPLOY / name), "Service", "ExecStart"), name), tmp_path
    )
    (tmp_path / "state").mkdir()
    check_command(argv, production_env, tmp_path)
    kept = list((tmp_path / "state").glob("celerybeat-schedule*"))
    assert kept, "beat wrote no schedule file in the state folder"
    stamp = {path: path.stat().st_mtime_ns for path in kept}
    output = check_command(argv, production_env, tmp_path)  # a restart reads the same file
    assert "Removing corrupted schedule file" not in output
    assert_one_log_format(output)
    assert set((tmp_path / "state").glob("celerybeat-schedule*")) == set(stamp)


def test_the_web_unit_passes_gunicorns_check(production_env, tmp_path):
    name = "campaign-letters-web.service"
    unit = parse_unit(DEPLOY / name)
    argv = localised(exec_argv(value(unit, "Service", "ExecStart"), name), tmp_path)
    check_command(argv, production_env, tmp_path)
    reload = exec_argv(value(unit, "Service", "ExecReload"), name)
    assert reload[0] == "/bin/kill" and reload[1:] == ["-HUP", "$MAINPID"]


def test_systemd_itself_accepts_the_units(tmp_path):
    """`systemd-analyze verify` on a scratch root holding the units, stand-ins for the
    programs they run, and systemd's own units."""
    analyze = shutil.which("systemd-analyze")
    require(
        analyze is not None, "systemd-analyze", "install systemd (Debian: apt-get install systemd)"
    )
    system_units = next(
        (p for p in (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")) if p.is_dir()),
        None,
    )
    require(system_units is not None, "systemd's units", "install systemd")
    root = tmp_path / "root"
    shutil.copytree(system_units, root / "usr/lib/systemd/system", symlinks=True)
    (root / "etc/systemd/system").mkdir(parents=True)
    (root / "etc/campaign-letters").mkdir(parents=True)
    (root / "etc/campaign-letters/env").write_text("")
    for path in UNITS:
        shutil.copy(path, root / "etc/systemd/system" / path.name)
        unit = parse_unit(path)
        for key, line in unit["Service"]:
            if key.startswith("Exec"):
                program = root / exec_argv(line, path.name)[0].lstrip("/")
                program.parent.mkdir(parents=True, exist_ok=True)
                program.write_text("#!/bin/sh\n")
                program.chmod(0o755)
    names = [path.name for path in UNITS]
    result = subprocess.run(
        [analyze, "verify", "--man=no", f"--root={root}", *names],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stdout + result.stderr
    for unit_name in names:
        security = subprocess.run(
            [analyze, "security", "--offline=true", f"--root={root}", unit_name],
            capture_output=True,
            text=True,
            timeout=120,
        )
        level = re.search(r"Overall exposure level for \S+: ([\d.]+)", security.stdout)
        assert level, security.stdout + security.stderr
        assert float(level.group(1)) <= 4.0, security.stdout


# --- The Procfile -------------------------------------------------------------------------------


def procfile() -> dict[str, str]:
    entries = {}
    for line in (DEPLOY / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            entries[name.strip()] = command.strip()
    return entries


def shell_words(command: str) -> list[list[str]]:
    """A Procfile command as the host's shell runs it: ${VAR:-default} filled from the defaults,
    commands joined by && apart."""
    expanded = re.sub(
        r"\$\{(\w+):-([^}]*)\}", lambda m: os.environ.get(m.group(1), m.group(2)), command
    )
    assert "$" not in expanded, f"an unexpanded variable in {command!r}"
    return [shlex.split(part) for part in expanded.split("&&")]


def test_the_procfile_has_the_four_processes():
    assert set(procfile()) == {"release", "web", "worker", "beat"}
    assert "collectstatic" in procfile()["release"] and "migrate" in procfile()["release"]
    assert "collectstatic" not in procfile()["web"]


@pytest.mark.parametrize("name", ["release", "web", "worker", "beat"])
def test_each_procfile_command_passes_its_check(name, production_env, tmp_path):
    for argv in shell_words(procfile()[name]):
        program = argv[0]
        argv = [sys.executable if program == "python" else str(BIN / program), *argv[1:]]
        check_command(argv, production_env, tmp_path)
