"""The coordinator's page, where a sign-in lands (app/accounts/next_page.py):
the school requests waiting for an answer, then this school year's figures
beside last year's, each with a link to the whole list or report.

Both are read the way their own pages read them: the requests through the
user's regions (`visible`), the figures with the report's small counts
hidden, as on the reports page."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import select

from app.db import get_session
from app.presentations.messages import labels
from app.presentations.models import RequestStatus, SchoolRequest
from app.regions.loading import visible
from app.regions.services import limited_regions
from app.reports import periods, reach
from app.reports.labels import period_label
from app.reports.report import build_report
from app.reports.views import READERS, bp, threshold
from app.schools import services as schools
from app.security import role_required

# The oldest requests waiting, shown here; the rest are on the requests page.
WAITING_SHOWN = 5


@bp.route("/<lang:lang>/coordination/")
@role_required(*READERS)
def coordination():
    session = get_session()
    waiting = visible(
        select(SchoolRequest).where(SchoolRequest.status == RequestStatus.OPEN), SchoolRequest
    )
    period = periods.current("school_year", schools.local_today())
    filters = reach.Filters(within=limited_regions(session, current_user))
    report = build_report(session, period, filters, threshold=threshold())
    return render_template(
        "reports/coordination.html",
        waiting=session.exec(
            waiting.order_by(SchoolRequest.created_at, SchoolRequest.id).limit(WAITING_SHOWN)
        ).all(),
        waiting_count=session.exec(select(func.count()).select_from(waiting.subquery())).one(),
        report=report,
        period_label=period_label(report.period),
        previous_label=period_label(report.previous),
        request_kind_labels=labels()["request_kind_labels"],
    )
