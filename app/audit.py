"""`make audit`: pip-audit, with a summary that says what was checked.

pip-audit asks PyPI's advisory API about each installed package. When that
API cannot be reached it skips the package ("Dependency not found on PyPI and
could not be audited") and still prints "No known vulnerabilities found",
which then means nothing was checked; with no network at all it fails with a
traceback. This wrapper reads pip-audit's JSON and says which case it is:

- a known vulnerability: listed, exit 1;
- packages that could not be checked: said plainly, with their count, exit 0
  (exit 1 with --strict, which `make audit STRICT=1` passes, for a release);
- everything checked and nothing found: says so, with the count, exit 0.

The project itself (installed editable, not on PyPI) is left out on purpose.

    python -m app.audit [--strict] [--from-json FILE]

--from-json reads a report saved by `pip-audit -f json` instead of running
it (tests/test_audit.py feeds it reports captured from real runs).
"""

import argparse
import json
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

PROJECT = "mobilis"  # this package's name in pyproject.toml
PIP_AUDIT = [sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off"]


def _is_the_project(dependency):
    return "editable" in dependency.get("skip_reason", "")


def summarise(report, *, strict, installed=None, error=""):
    """(exit status, lines to print) for pip-audit's JSON `report`.

    `report` is None when pip-audit produced none (it failed, `error` is the
    last line it wrote); `installed` is then how many packages went unchecked.
    """
    if report is None:
        lines = [
            f"NOT CHECKED: pip-audit could not run ({error or 'no report'}).",
            f"None of the {installed} installed packages was checked for known vulnerabilities.",
        ]
        return (1 if strict else 0), lines + _strict_note(strict)
    dependencies = [d for d in report["dependencies"] if not _is_the_project(d)]
    checked = [d for d in dependencies if "skip_reason" not in d]
    unchecked = [d for d in dependencies if "skip_reason" in d]
    vulnerable = [d for d in checked if d["vulns"]]
    lines = []
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln["fix_versions"]) or "no fixed version yet"
            lines.append(
                f"VULNERABLE: {dependency['name']} {dependency['version']}: {vuln['id']} "
                f"(fixed in {fixed})"
            )
    if unchecked:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in unchecked})
        lines.append(
            f"NOT CHECKED: {len(unchecked)} of {len(dependencies)} packages could not be "
            f"checked for known vulnerabilities ({'; '.join(reasons)})."
        )
        lines.append("Not checked: " + ", ".join(sorted(d["name"] for d in unchecked)))
    if vulnerable:
        count = sum(len(d["vulns"]) for d in vulnerable)
        lines.append(f"{count} known vulnerabilities in {len(vulnerable)} packages.")
    elif checked:
        lines.append(f"No known vulnerabilities in the {len(checked)} packages checked.")
    if unchecked:
        lines += _strict_note(strict)
    status = 1 if vulnerable or (strict and unchecked) else 0
    return status, lines


def _strict_note(strict):
    if strict:
        return ["Failing: STRICT=1 accepts no unchecked package."]
    return ["(make audit STRICT=1 fails in this case: use it for a release.)"]


def run_pip_audit():
    """(JSON report or None, last line of pip-audit's error output)."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "audit.json"
        result = subprocess.run(  # noqa: S603  (a fixed command line)
            [*PIP_AUDIT, "--format", "json", "--output", str(output)],
            capture_output=True,
            text=True,
            check=False,
        )
        if output.is_file() and output.stat().st_size:
            return json.loads(output.read_text()), ""
    return None, last_error(result.stderr) or f"exit status {result.returncode}"


def last_error(stderr):
    """The last line of a traceback: what went wrong, e.g. requests' ConnectionError."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m app.audit", description=__doc__.split("\n")[0])
    parser.add_argument("--strict", action="store_true", help="fail on any unchecked package")
    parser.add_argument("--from-json", type=Path, help="a saved `pip-audit -f json` report")
    args = parser.parse_args(argv)
    if args.from_json:
        report, error = json.loads(args.from_json.read_text()), ""
    else:
        report, error = run_pip_audit()
    installed = sum(1 for d in metadata.distributions() if d.metadata["Name"] != PROJECT)
    status, lines = summarise(report, strict=args.strict, installed=installed, error=error)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
