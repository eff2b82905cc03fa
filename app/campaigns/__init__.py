"""Awareness campaigns, in one package: the campaigns themselves (content
read from `curriculum/campaigns/<slug>/`, their public pages and generated
materials) and the distribution records (what staff handed out to a school
for a campaign, which the reach report counts).

Distribution is part of campaigns rather than a domain of its own: a record
exists only for a campaign (its slug), its pages sit under
`/<lang>/campaigns/records/`, each of them lists or chooses campaigns, and
what it counts is a campaign's reach. On its own it would be a one-table
package importing this one on every page. The two halves stay apart in the
modules:

- the campaigns, public (blueprint `campaigns`): `loader.py` (reading them,
  the Campaign), `check.py` (the rules of their files), `views.py` (the
  pages and the materials' downloads), `pdfs.py` (posters, cards, slide),
  `published.py` (the materials built ahead);
- the records, staff only (blueprint `distribution`, kept so that its
  endpoints keep their names): `models.py`, `services.py`, `forms.py`,
  `messages.py`, `record_views.py`.

Campaigns sit above `curriculum`: their files live in the curriculum folder
and link to modules, and their materials are drawn like the modules' PDFs.
Nothing in `curriculum` imports this package (`flask curriculum check` reads
the campaigns' store from `app.extensions`). The staff calendars draw the
campaigns' periods from `get_campaigns()`.
"""


def init_app(app):
    """The campaigns' store (read again when a file under the curriculum
    folder changes), the two blueprints, and the materials built ahead."""
    from app import pdfbuild
    from app.campaigns import published, record_views, views
    from app.campaigns.loader import load_campaigns
    from app.curriculum import CatalogueStore

    root, interval = app.config["CURRICULUM_PATH"], app.config["CURRICULUM_RELOAD_SECONDS"]
    # The whole folder is watched: a campaign links to modules by their folders.
    app.extensions["campaigns"] = CatalogueStore(root, interval, load=load_campaigns)
    app.register_blueprint(views.bp)
    app.register_blueprint(record_views.bp)
    pdfbuild.register(app, published.targets)
