"""The layout a newcomer walks through (issue 21), read from the files: the
development data apart from the product, campaigns in one package, the PDF
templates on one base, documents of the promised size, `make test`'s output.
"""

import os
import re
import subprocess

from tests.source_graph import APP, ROOT, cycles, imported_modules, module_name


def _product_modules():
    return [path for path in APP.rglob("*.py") if "migrations" not in path.parts]


def _import_graph(paths):
    """{module: modules of `paths` it imports}, only among `paths`."""
    names = {module_name(path): path for path in paths}
    return {
        name: {other for other in imported_modules(path) if other in names and other != name}
        for name, path in names.items()
    }


# Development data ----------------------------------------------------------------------


def test_the_demo_and_the_synthetic_data_live_in_devdata():
    assert not (APP / "demo.py").exists()
    assert list((APP / "reports").glob("synthetic*.py")) == []
    assert {"demo.py", "synthetic.py"} <= {p.name for p in (APP / "devdata").glob("*.py")}


def test_nothing_in_the_product_imports_the_development_data():
    """Only create_app names the package, to call its init_app."""
    development = ("app.devdata", "app.demo", "app.reports.synthetic")  # where they were too
    importers = {
        module_name(path): sorted(i for i in imported_modules(path) if i.startswith(development))
        for path in _product_modules()
        if "devdata" not in path.parts
    }
    importers = {name: found for name, found in importers.items() if found}
    assert importers == {"app": ["app.devdata"]} or importers == {}


def test_the_seeding_commands_come_from_devdata(app):
    for name in ("seed-demo", "seed-synthetic"):
        assert app.cli.commands[name].callback.__module__ == "app.devdata.commands"


def test_development_data_modules_are_small_and_without_cycles():
    paths = list((APP / "devdata").glob("*.py"))
    assert len(paths) > 2
    assert {p.name: n for p in paths if (n := len(p.read_text().splitlines())) > 300} == {}
    assert cycles(_import_graph(paths)) == []


def test_reports_and_the_development_data_import_each_other_in_one_direction_only():
    paths = list((APP / "devdata").glob("*.py")) + list((APP / "reports").glob("*.py"))
    assert cycles(_import_graph(paths)) == []
    reports = [p for p in paths if p.parent.name == "reports"]
    assert [p.name for p in reports if any("devdata" in i for i in imported_modules(p))] == []


# Campaigns -----------------------------------------------------------------------------


def _package_graph():
    """{package: packages it imports}, a package being `app.<name>`; `app`
    itself (create_app, which assembles them all) is left out."""

    def package(module):
        return ".".join(module.split(".")[:2])

    graph = {}
    for path in _product_modules():
        source = package(module_name(path))
        graph.setdefault(source, set()).update(
            package(name) for name in imported_modules(path) if package(name) != source
        )
    graph.pop("app", None)
    return {name: {other for other in found if other in graph} for name, found in graph.items()}


def test_campaigns_are_one_package():
    assert list((APP / "curriculum").glob("campaign*.py")) == []
    assert not (APP / "curriculum" / "templates" / "campaigns").exists()
    assert {p.name for p in (APP / "distribution").glob("*.py")} <= {"__init__.py", "calendar.py"}
    assert not (APP / "distribution" / "templates").exists()
    assert (APP / "campaigns" / "templates" / "campaigns" / "materials").is_dir()


def test_campaign_pages_and_records_keep_their_endpoints_and_come_from_the_package(app):
    endpoints = {
        endpoint: function.__module__
        for endpoint, function in app.view_functions.items()
        if endpoint.split(".")[0] in ("campaigns", "distribution")
    }
    assert {
        "campaigns.index",
        "campaigns.detail",
        "campaigns.poster",
        "campaigns.card",
        "campaigns.slide",
        "distribution.records",
        "distribution.new_record",
        "distribution.delete_record",
    } <= set(endpoints)
    assert {e: m for e, m in endpoints.items() if not m.startswith("app.campaigns.")} == {}


def test_campaigns_sit_above_curriculum_and_below_reports_and_devdata():
    """(Cycles through other packages, regions and schools, are theirs to end.)"""
    near = {"app.campaigns", "app.curriculum", "app.distribution", "app.reports", "app.devdata"}
    graph = {name: found & near for name, found in _package_graph().items() if name in near}
    assert "app.campaigns" in graph and "app.curriculum" in graph["app.campaigns"]
    assert cycles(graph) == []


# PDF templates -------------------------------------------------------------------------

PDF_TEMPLATES = [
    "curriculum/templates/curriculum/pdf/document.html",
    "curriculum/templates/curriculum/pdf/deck.html",
    "campaigns/templates/campaigns/materials/poster.html",
    "campaigns/templates/campaigns/materials/card.html",
    "campaigns/templates/campaigns/materials/slide.html",
    "reports/templates/reports/pdf/reach.html",
    "reports/templates/reports/pdf/outcomes.html",
    "visits/templates/visits/pdf/schedule.html",
]


def test_every_pdf_template_extends_the_one_base():
    for name in PDF_TEMPLATES:
        first = (APP / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == '{% extends "pdf/base.html" %}', name


def test_only_the_base_links_the_print_styles_and_writes_the_document_head():
    """A template that would be a PDF of its own links pdf.css: only the base does."""
    heads = [
        str(path.relative_to(APP))
        for path in APP.rglob("*.html")
        if "/static/css/pdf" in (text := path.read_text(encoding="utf-8"))
        or re.search(r"<head[\s>]", text)
    ]
    assert sorted(heads) == ["templates/base.html", "templates/pdf/base.html"]


# make test ------------------------------------------------------------------------------


def test_make_test_shows_each_run_as_it_goes_and_ends_with_the_slowest_tests():
    # Not the flags of the `make test` this may run under (its variables are in MAKEFLAGS).
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    planned = subprocess.run(
        ["make", "-n", "test"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "--output-sync" not in planned  # which held each run's output until it ended
    runs = [line for line in planned.splitlines() if "bin/pytest" in line]
    assert len(runs) == 2, planned
    for run, name in zip(runs, ("sqlite", "postgres"), strict=True):
        assert run.startswith("set -o pipefail;"), run  # pytest's exit status, not sed's
        assert "--durations=15" in run
        assert run.endswith(f"| tee .cache/test-{name}.log | sed -u 's/^/[{name}] /'"), run


# Documents -----------------------------------------------------------------------------

# Paths the map names that other parts of issue 21 make (app/scheduling, the
# layout test, the tables' list for the migrations): absent on this part's
# branch only. Empty this once they are merged.
MADE_ELSEWHERE = ("app/scheduling/", "tests/test_layout.py", "app/migrations/tables.py")


def _named_paths(text):
    """The repository paths a document names in `code`, such as `app/pdf.py`."""
    found = re.findall(r"`((?:app|tests|docs|scripts|static|bench)/[\w./-]*)`", text)
    return {path.rstrip(".") for path in found if "<" not in path and "*" not in path}


def test_the_readme_is_short_and_says_what_to_expect():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 150
    for said in ("make run", "make test", "docs/deploy.md"):
        assert said in readme, said
    assert re.search(r"`make test` takes \*\*about \d+( to \d+)? minutes", readme), "how long"
    assert "apt-get install" not in readme  # the runbook is docs/deploy.md's


def test_the_architecture_is_a_map_of_the_new_layout():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    for named in ("app/scheduling/", "app/devdata/", "app/campaigns/", "init_app"):
        assert named in text, named


def test_the_documents_name_paths_that_exist():
    for document in ("README.md", "docs/architecture.md", "docs/deploy.md"):
        named = _named_paths((ROOT / document).read_text(encoding="utf-8"))
        missing = sorted(
            path
            for path in named
            if not (ROOT / path).exists() and not path.startswith(MADE_ELSEWHERE)
        )
        assert missing == [], document
