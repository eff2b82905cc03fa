"""The evaluation: what a visit changes, measured without knowing who answered.

- `questions.py`: the questionnaire's statements, in the curriculum folder
  beside each module (checked by `flask curriculum check`).
- `codes.py`: each class group's code for a visit (derived from a key, never
  stored); `waves.py`: which modules a class is asked about and which wave
  is open on a day; `services.py`: answers counted per class, wave and item.
- `views.py`: the student's questionnaire, /<lang>/q/<code>/;
  `slides.py` and `visit_views.py`: the codes on the visit page and on the
  first and last slide of a class's sessions.
- `feedback.py`, `names.py`, `feedback_views.py`: teachers' ratings and
  comments, sent with the school's share link, approved by a coordinator.
- `stats.py` (Wilson, Newcombe) and `results.py`: what the answers say, with
  their uncertainty; app/reports shows them (the outcome report's sections).

Nothing here is imported by the domains below it (visits, curriculum,
schools): the visit page and the school's share page include this package's
templates, which read what they show through the template functions this
package registers (`init_app`).
"""

from flask import current_app

from app import blueprints
from app.curriculum import CatalogueStore
from app.evaluation.questions import load_questions
from app.instance import instance_secret


def get_questions():
    """The questions as the files say now (read again when a file changes)."""
    return current_app.extensions["evaluation"].get()


def code_key():
    """The key the class codes are derived from (codes.py)."""
    return current_app.config["EVALUATION_CODE_KEY"]


def init_app(app):
    """The questions' store beside the modules' (same folder, same reloading),
    the codes' key, the questionnaire's pages."""
    from app.evaluation import feedback_views, views, visit_views

    root, interval = app.config["CURRICULUM_PATH"], app.config["CURRICULUM_RELOAD_SECONDS"]
    app.extensions["evaluation"] = CatalogueStore(root, interval, load=load_questions)
    if not app.config["EVALUATION_CODE_KEY"]:
        app.config["EVALUATION_CODE_KEY"] = instance_secret(
            app.instance_path, "evaluation_code_key"
        )
    blueprints.register(app, views.bp, visit_views, feedback_views)
    app.context_processor(_template_functions)


def _template_functions():
    """What this package's templates included by other domains' pages call."""
    from app.db import get_session
    from app.evaluation import slides
    from app.i18n import current_language

    def evaluation_codes(visit):
        return slides.class_codes(get_session(), visit=visit, lang=current_language())

    return {"evaluation_codes": evaluation_codes}
