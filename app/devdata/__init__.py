"""Development data: the demo (`flask seed-demo`, for `make run`) and the
synthetic years of activity (`flask seed-synthetic`, for the benchmarks).

Nothing in the product imports this package's modules: they sit above every
domain, reach into each to fill it, and only their commands call them.
"""


def init_app(app):
    """Register the seeding commands (their modules are imported here only)."""
    from app.devdata.commands import seed_demo_command, seed_synthetic_command

    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_synthetic_command)
