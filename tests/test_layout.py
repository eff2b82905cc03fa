"""The layout of app/ (issue 21), read from the files with `ast`.

Packages import each other in one direction only; the lower layers import no
domain; no module is over 300 lines; `create_app` lists the domains in a few
lines and imports nothing for its side effects; every package with pages,
commands or hooks plugs itself in with its own `init_app`; the development
data is imported by nothing in the product.

An import inside a function counts as much as one at the top of a module: it
is the same dependency, taken later.
"""

import ast

from tests.source_graph import APP, ROOT, cycles, imports, is_module, module_name

# The layers below every domain: settings, database, languages, security,
# what every page and PDF shares. They import each other and no domain, so
# any domain may import them.
LOWER_LAYERS = frozenset(
    {
        "audit",
        "blueprints",
        "bodysize",
        "catalogs",
        "config",
        "db",
        "errors",
        "formats",
        "forms",
        "hosts",
        "i18n",
        "instance",
        "jsonlog",
        "mail",
        "middleware",
        "pagecache",
        "paging",
        "pdf",
        "pdfbuild",
        "pdfserve",
        "ratelimit_memory",
        "security",
        "static_files",
        "templating",
    }
)
MAX_LINES = 300
MAX_FACTORY_LINES = 40


def _modules():
    return sorted(APP.rglob("*.py"))


def _part(module):
    """The part of app/ a module belongs to: its package, or itself for a
    module right under app/; "app" for app/__init__.py (the factory)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "app"


def _part_imports():
    """{(part, part it imports): ["app/x.py:12", ...]} between two parts."""
    edges = {}
    for path in _modules():
        source = _part(module_name(path))
        for target, line in imports(path):
            if _part(target) != source:
                where = f"{path.relative_to(ROOT)}:{line}"
                edges.setdefault((source, _part(target)), set()).add(where)
    return {edge: sorted(places) for edge, places in edges.items()}


def test_no_import_cycle_between_the_packages_of_app():
    edges = _part_imports()
    graph = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
    found = [
        f"{' <-> '.join(component)}:\n"
        + "\n".join(
            f"  {source} -> {target}: {', '.join(edges[source, target])}"
            for source, target in sorted(edges)
            if source in component and target in component
        )
        for component in cycles(graph)
    ]
    assert not found, "import cycles between parts of app/:\n" + "\n".join(found)


def test_the_lower_layers_exist_and_import_no_domain():
    assert sorted(name for name in LOWER_LAYERS if not is_module(f"app.{name}")) == []
    upward = {
        f"{path.relative_to(ROOT)}:{line}": target
        for path in _modules()
        if _part(module_name(path)) in LOWER_LAYERS
        for target, line in imports(path)
        if _part(target) not in LOWER_LAYERS
    }
    assert upward == {}


def test_no_module_of_app_is_over_300_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def _factory():
    path = APP / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    return path, functions["create_app"]


def test_create_app_is_short():
    _path, factory = _factory()
    assert factory.end_lineno - factory.lineno + 1 <= MAX_FACTORY_LINES


def test_create_app_imports_nothing_for_its_side_effects():
    """No route module imported only so that its routes join a blueprint: each
    package's init_app registers its own pages."""
    path, _factory_node = _factory()
    text = path.read_text(encoding="utf-8")
    assert "noqa: F401" not in text
    assert "register_blueprint" not in text
    assert "add_command" not in text


def test_the_hooks_run_in_the_order_the_parts_are_listed(make_app):
    """What create_app's order decides: the route noted for the log first, the
    body size then the rate limiter before any other work, help's runner ahead
    of the accounts' session rules, the database's commit after every other
    after-request hook (Flask runs those last registered first)."""
    from app import bodysize, db, jsonlog, security
    from app.accounts import views as accounts_views
    from app.help import alert_runner

    app = make_app(HELP_ALERT_RUNNER="thread")
    before = app.before_request_funcs[None]
    assert before[0] is bodysize._limit_body
    assert getattr(before[1], "__self__", None) is security.limiter
    assert before.index(alert_runner._start) < before.index(accounts_views._enforce_session_rules)
    assert app.after_request_funcs[None][0] is db._commit_or_rollback
    assert app.url_value_preprocessors[None][0] is jsonlog._remember_route


def _plugs_in(path):
    """Whether a module adds pages, commands or hooks to an application."""
    text = path.read_text(encoding="utf-8")
    return any(
        mark in text
        for mark in ("Blueprint(", "@click.command", "@click.group", "app.before_request(")
    )


def test_every_package_with_pages_commands_or_hooks_has_an_init_app():
    missing = []
    for init in sorted(APP.glob("*/__init__.py")):
        package = init.parent
        if not any(_plugs_in(path) for path in package.rglob("*.py")):
            continue
        functions = {
            node.name
            for node in ast.parse(init.read_text(encoding="utf-8")).body
            if isinstance(node, ast.FunctionDef)
        }
        if "init_app" not in functions:
            missing.append(package.name)
    assert missing == []


def test_the_development_data_lives_apart():
    assert (APP / "devdata" / "__init__.py").is_file()
    assert not (APP / "demo.py").exists()
    assert [str(p.relative_to(ROOT)) for p in APP.rglob("synthetic*.py")] == [
        str(p.relative_to(ROOT)) for p in (APP / "devdata").glob("synthetic*.py")
    ]


def test_nothing_in_the_product_imports_the_development_data():
    """Only create_app names app.devdata, to call its init_app like any domain's."""
    importers = {
        f"{path.relative_to(ROOT)}:{line}": target
        for path in _modules()
        if "devdata" not in path.relative_to(APP).parts
        for target, line in imports(path)
        if target.startswith("app.devdata")
        and not (path == APP / "__init__.py" and target == "app.devdata")
    }
    assert importers == {}


def _modules_holding(*marks):
    return sorted(
        str(path.relative_to(ROOT))
        for path in _modules()
        if any(mark in path.read_text(encoding="utf-8") for mark in marks)
    )


def test_paging_is_written_once():
    """Every paged list cuts its rows with app/paging.py's Page."""
    assert _modules_holding(".offset(", "page - 1") == ["app/paging.py"]


def test_the_audit_log_is_read_and_written_in_one_module():
    assert _modules_holding("AuditEntry") == [
        "app/help/audit_log.py",
        "app/help/models.py",
        "app/migrations/tables.py",
    ]
