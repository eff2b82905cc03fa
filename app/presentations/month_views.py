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
    campaigns = campaign_days(grid.start, grid.end, lang=current_language())
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
        campaigns=campaigns,
        # The phone's list: the month's campaigns once, then its days that
        # have a presentation or a visit.
        month_campaigns=_campaigns_of_month(campaigns, grid.first),
        busy=sorted(day for day in days if day.month == grid.first.month),
    )


def _campaigns_of_month(campaigns, first):
    """[(slug, title, first day, last day)] of the campaigns running in `first`'s
    month, from {day: [(slug, title)]}, in the order they start."""
    found = {}
    for day in sorted(d for d in campaigns if d.month == first.month and d.year == first.year):
        for slug, title in campaigns[day]:
            found.setdefault(slug, [slug, title, day, day])[3] = day
    return [tuple(entry) for entry in found.values()]
