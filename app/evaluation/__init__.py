"""The evaluation: what a visit changes, measured without knowing who answered.

- `questions.py`: the questionnaire's statements, in the curriculum folder
  beside each module (checked by `flask curriculum check`).

Nothing here is imported by the domains below it (visits, curriculum,
schools): the visit page and the school's share page include this package's
templates, which read what they show through the template functions this
package registers (`init_app`).
"""

from app.curriculum import CatalogueStore
from app.evaluation.questions import load_questions


def get_questions():
    """The questions as the files say now (read again when a file changes)."""
    from flask import current_app

    return current_app.extensions["evaluation"].get()


def init_app(app):
    """The questions' store, beside the modules' (same folder, same reloading)."""
    root, interval = app.config["CURRICULUM_PATH"], app.config["CURRICULUM_RELOAD_SECONDS"]
    app.extensions["evaluation"] = CatalogueStore(root, interval, load=load_questions)
