"""The joint calendar: a month of presentations and visits, with the
campaigns under way, for everyone in the partnership."""

from flask import render_template, request
from flask_login import current_user
from sqlmodel import select

from app.db import get_session
from app.distribution.calendar import campaign_days
from app.i18n import current_language
from app.presentations.models import Presentation
from app.presentations.views import bp
from app.regions.loading import visible
from app.scheduling import month
from app.schools import services as schools
from app.schools.models import School
from app.security import Role, login_required


@bp.route("/<lang:lang>/calendar/")
@login_required
def joint_calendar():
    session = get_session()
    today = schools.local_today()
    grid = month.month_grid(request.args.get("month", ""), today=today)
    presentations = (
        select(Presentation)
        .where(Presentation.on_date >= grid.start, Presentation.on_date <= grid.end)
        .order_by(Presentation.on_date, Presentation.starts_at)
    )
    # The visits' regions are their schools'.
    visits = visible(month.visits_during(grid.start, grid.end), School)
    days = {}
    for p in session.exec(visible(presentations, Presentation)).all():
        days.setdefault(p.on_date, {"presentations": [], "visits": []})["presentations"].append(p)
    running = month.visits_by_day(session.exec(visits).all(), grid.start, grid.end)
    for day, found in running.items():
        days.setdefault(day, {"presentations": [], "visits": []})["visits"].extend(found)
    return render_template(
        "presentations/calendar.html",
        first=grid.first,
        weeks=grid.weeks,
        days=days,
        today=today,
        previous=grid.previous,
        following=grid.following,
        may_open_visits=current_user.has_role(
            Role.COORDINATOR, Role.PREVENTION_WORKER, Role.POLICE_OFFICER
        ),
        campaigns=campaign_days(grid.start, grid.end, lang=current_language()),
    )
