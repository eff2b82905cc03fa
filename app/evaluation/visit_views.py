"""Staff's side of the questionnaire: a class session's slides with its code.

/<lang>/visits/<visit>/sessions/<session>/deck.pdf, for those who read the
visit (and within their regions: `visit_or_404`, `session_or_404`). Made on
each request, never cached: it carries a class's code.
"""

from flask import abort, make_response
from flask_babel import gettext as _

from app.curriculum import get_catalogue
from app.curriculum.models import CurriculumModule
from app.curriculum.pdfs import page_css
from app.db import get_session
from app.evaluation import slides
from app.evaluation.views import bp
from app.i18n import current_language
from app.pdf import PDF_FOLDERS, render_pdf
from app.security import role_required
from app.templating import help_url
from app.visits.views import READERS, session_or_404, visit_or_404

# The code slide's layout, after the deck's own sheet (pdf-deck.css).
CODE_SLIDE_CSS = """
.slide-code .code-slide { display: flex; align-items: center; }
.slide-code .code-qr { width: 70mm; height: 70mm; flex: none; margin-right: 10mm; }
.slide-code .code-lead { font-size: 18pt; margin: 0 0 4mm; }
.slide-code .code-value { font-size: 40pt; font-weight: bold; letter-spacing: 0.12em;
  color: #3f1c5e; margin: 0 0 4mm; }
.slide-code .code-typed { font-size: 13pt; margin: 0 0 2mm; overflow-wrap: anywhere; }
.slide-code .code-anonymous { font-size: 12pt; color: #4d4a55; margin: 0; }
"""


@bp.route("/<lang:lang>/visits/<int:visit_id>/sessions/<int:session_id>/deck.pdf")
@role_required(*READERS)
def session_deck(visit_id, session_id):
    db = get_session()
    class_session = session_or_404(visit_or_404(visit_id), session_id)
    row = db.get(CurriculumModule, class_session.delivered_module_id or class_session.module_id)
    module = get_catalogue().get(row.slug) if row is not None else None
    if module is None:
        abort(404)
    lang = current_language()
    html = slides.session_deck_html(
        db, class_session=class_session, module=module, lang=lang, help_url=help_url(external=True)
    )
    stylesheets = [page_css(), CODE_SLIDE_CSS]
    response = make_response(render_pdf(html, folders=PDF_FOLDERS, stylesheets=stylesheets))
    response.headers["Content-Type"] = "application/pdf"
    name = f"{_('slides')}-{module.slug}-{lang}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
