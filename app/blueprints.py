"""Registering a blueprint whose routes are written in several modules.

A domain's pages may share one blueprint (one name before every endpoint:
`help.inbox_index`, `help.ask`) while living in several modules, each adding
its routes when it is imported. The package's init_app imports those modules
and names them here, so that none is left out unseen.
"""


def register(app, blueprint, *route_modules):
    """Register `blueprint` on `app`, once `route_modules` have added their routes to it.

    A module named here that adds its routes to another blueprint is a
    mistake in the list: refused, rather than its pages silently missing.
    """
    for module in route_modules:
        if getattr(module, "bp", None) is not blueprint:
            raise RuntimeError(f"{module.__name__} adds no routes to blueprint {blueprint.name!r}")
    app.register_blueprint(blueprint)
