"""pip-audit over the lock files, when a vulnerability database can be reached (`make audit`).

Looks for a database first: PyPI's JSON API (which lists each release's known vulnerabilities),
then OSV. When neither answers (no network, or a registry mirror without the JSON API), or when
pip-audit could look up none of the packages, it prints why the audit was skipped and exits 0.
Found vulnerabilities exit 1. To accept one for a while, add its id to .pip-audit-ignore with a
comment saying why and until when.
"""

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ["requirements.txt", "requirements-dev.txt"]
IGNORE_FILE = ROOT / ".pip-audit-ignore"
PROBES = {
    "pypi": ("https://pypi.org/pypi/django/5.2/json", None),
    "osv": (
        "https://api.osv.dev/v1/query",
        {"package": {"name": "django", "ecosystem": "PyPI"}, "version": "5.2"},
    ),
}


def reachable(service: str) -> str:
    """ "" when `service` answers as a vulnerability database does, else why not."""
    url, body = PROBES[service]
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - fixed https URLs
        url, data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - fixed URLs
            answer = json.load(response)
    except (OSError, ValueError) as error:
        return f"{url}: {error}"
    key = "vulnerabilities" if service == "pypi" else "vulns"
    if not isinstance(answer, dict) or (key not in answer and service == "pypi"):
        return f"{url}: the answer holds no vulnerability data"
    return ""


def ignored() -> list[str]:
    if not IGNORE_FILE.exists():
        return []
    lines = IGNORE_FILE.read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def main() -> int:
    reasons = []
    for service in PROBES:
        reason = reachable(service)
        if not reason:
            break
        reasons.append(reason)
    else:
        print("pip-audit skipped: no vulnerability database can be reached")
        for reason in reasons:
            print(f"  {reason}")
        return 0

    command = [sys.executable, "-m", "pip_audit", "--vulnerability-service", service]
    for lock in LOCKS:
        command += ["--requirement", str(ROOT / lock)]
    command += [
        "--require-hashes",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
    ]
    for vulnerability in ignored():
        command += ["--ignore-vuln", vulnerability]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(result.stdout)
    except ValueError:
        print(result.stdout + result.stderr, file=sys.stderr)
        return result.returncode or 1
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        print(
            f"pip-audit skipped: {service} could look up none of the {len(dependencies)} packages"
        )
        return 0
    found = [(d["name"], d["version"], v) for d in audited for v in d.get("vulns", [])]
    for name, version, vulnerability in found:
        fixed = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed release yet"
        print(f"{name} {version}: {vulnerability['id']} (fixed in {fixed})")
    skipped = len(dependencies) - len(audited)
    print(
        f"pip-audit ({service}): {len(audited)} packages audited, {skipped} skipped, "
        f"{len(found)} known vulnerabilities"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
