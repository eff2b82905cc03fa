"""`make audit` says what it checked (app/audit.py), from pip-audit's own reports.

The reports in tests/data/pip-audit/ come from real runs (README there); no
network is needed here.
"""

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app import PROJECT_ROOT
from app.audit import last_error, main, summarise

REPORTS = Path(__file__).parent / "data" / "pip-audit"


def _audit(capsys, report, *options):
    status = main([*options, "--from-json", str(REPORTS / report)])
    return status, capsys.readouterr().out


def test_an_unreachable_advisory_service_is_not_a_clean_bill(capsys):
    status, out = _audit(capsys, "unreachable.json")
    assert status == 0
    assert "No known vulnerabilities" not in out
    # 115 entries: 114 packages skipped, and the project itself (editable).
    assert "NOT CHECKED: 114 of 114 packages could not be checked" in out
    assert "Dependency not found on PyPI and could not be audited" in out
    assert re.search(r"^Not checked: aiosmtpd, alembic, ", out, re.M)
    assert "STRICT=1" in out


def test_strict_fails_on_an_unchecked_package(capsys):
    status, out = _audit(capsys, "unreachable.json", "--strict")
    assert status == 1
    assert "Failing: STRICT=1 accepts no unchecked package." in out


def test_one_unchecked_package_among_checked_ones_is_counted(tmp_path, capsys):
    checked = json.loads((REPORTS / "all-checked.json").read_text())
    skipped = json.loads((REPORTS / "unreachable.json").read_text())["dependencies"][0]
    checked["dependencies"].append(skipped)
    (tmp_path / "mixed.json").write_text(json.dumps(checked))
    assert main(["--from-json", str(tmp_path / "mixed.json")]) == 0
    out = capsys.readouterr().out
    assert "NOT CHECKED: 1 of 4 packages could not be checked" in out
    assert "Not checked: aiosmtpd" in out
    assert "No known vulnerabilities in the 3 packages checked." in out
    assert main(["--strict", "--from-json", str(tmp_path / "mixed.json")]) == 1


@pytest.mark.parametrize("options", [[], ["--strict"]])
def test_everything_checked_and_clean_passes_and_says_how_many(capsys, options):
    status, out = _audit(capsys, "all-checked.json", *options)
    assert status == 0
    assert out == "No known vulnerabilities in the 3 packages checked.\n"


@pytest.mark.parametrize("options", [[], ["--strict"]])
def test_a_known_vulnerability_fails(capsys, options):
    status, out = _audit(capsys, "a-vulnerability.json", *options)
    assert status == 1
    assert "VULNERABLE: jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in out
    assert "1 known vulnerabilities in 1 packages." in out


def test_no_network_at_all_means_nothing_was_checked():
    error = last_error((REPORTS / "no-network.stderr").read_text())
    assert error.startswith("requests.exceptions.ProxyError: ")
    status, lines = summarise(None, strict=False, installed=116, error=error)
    assert status == 0
    assert lines[0].startswith("NOT CHECKED: pip-audit could not run (requests.exceptions.")
    assert lines[1] == "None of the 116 installed packages was checked for known vulnerabilities."
    assert summarise(None, strict=True, installed=116, error=error)[0] == 1


def test_make_audit_passes_strict_only_when_asked():
    def dry_run(*args):
        return subprocess.run(
            ["make", "-n", "audit", *args],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    assert re.search(r"-m app\.audit\s*$", dry_run(), re.M)
    assert re.search(r"-m app\.audit --strict\s*$", dry_run("STRICT=1"), re.M)
    assert re.search(r"-m app\.audit\s*$", dry_run("STRICT=0"), re.M)


def test_a_real_run_without_network_says_nothing_was_checked(tmp_path):
    """pip-audit itself, behind a proxy that refuses connections, with an empty cache."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "HTTPS_PROXY": dead,
        "https_proxy": dead,
    }
    result = subprocess.run(
        [sys.executable, "-m", "app.audit", "--strict"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("NOT CHECKED: pip-audit could not run (")
    assert "installed packages was checked" in result.stdout
