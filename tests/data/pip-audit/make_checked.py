"""Write all-checked.json and a-vulnerability.json into the folder named.

Reports as `pip-audit -f json` writes them when PyPI's advisory API answers,
made by pip-audit's own formatter (its JsonFormat), since that API could not
be reached from the machine where this folder was made. Run with the
project's Python: `.venv/bin/python tests/data/pip-audit/make_checked.py DIR`.
"""

import sys
from pathlib import Path

from packaging.version import Version
from pip_audit._format.json import JsonFormat
from pip_audit._service.interface import (
    ResolvedDependency,
    SkippedDependency,
    VulnerabilityResult,
)

JINJA_ADVISORY = VulnerabilityResult(
    id="GHSA-h5c8-rqwp-cp95",
    description="Jinja vulnerable to HTML attribute injection when passing user input "
    "as keys to xmlattr filter",
    fix_versions=[Version("3.1.3")],
    aliases={"CVE-2024-22195"},
)


def report(jinja_version, jinja_vulns):
    return {
        ResolvedDependency(name="flask", version=Version("3.1.3")): [],
        ResolvedDependency(name="jinja2", version=Version(jinja_version)): jinja_vulns,
        ResolvedDependency(name="werkzeug", version=Version("3.1.9")): [],
        SkippedDependency(name="mobilis", skip_reason="distribution marked as editable"): [],
    }


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    json_format = JsonFormat(output_desc=False, output_aliases=False)
    (folder / "all-checked.json").write_text(json_format.format(report("3.1.6", []), []) + "\n")
    (folder / "a-vulnerability.json").write_text(
        json_format.format(report("3.1.2", [JINJA_ADVISORY]), []) + "\n"
    )
