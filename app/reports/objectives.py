"""The partnership's four objectives, each with its indicators, as data.

The objectives are the partners' own (MOBILIS, phase 1 and 2): mobilise the
youth centre's and the police's resources; prosecute exploiters and take
youth out of exploitation; support youth at risk; share information. An
indicator is either computed by the site (a figure of `reach.figures`) or
entered by the partners, who know what the site cannot.

Labels and definitions are lazy strings: in the language of the request.
Chart labels are cut at 34 characters: keep labels short in both languages.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

APP = "app"
PARTNER = "partner"
# What an indicator's value is: a count (people, events, places), or hours.
# Each outcome chart holds one unit only (app/reports/outcome_charts.py).
COUNT = "count"
HOURS = "hours"


@dataclass(frozen=True)
class Indicator:
    key: str  # a figure of reach.figures (APP), or a partner figure's key (PARTNER)
    origin: str
    label: object
    definition: object
    # A count of people or events, hidden below the threshold in anything that
    # leaves the partnership. Not for medians, nor for the staff the partners
    # assign: positions, not people served.
    hide_small: bool = True
    key_figure: bool = False  # on the summary page
    unit: str = COUNT

    @property
    def entered(self):
        return self.origin == PARTNER


@dataclass(frozen=True)
class Objective:
    key: str
    title: object
    aim: object  # the objective as the partners wrote it
    indicators: tuple


def _app(key, label, definition, **kw):
    return Indicator(key, APP, label, definition, **kw)


def _partner(key, label, definition, **kw):
    return Indicator(key, PARTNER, label, definition, **kw)


OBJECTIVES = (
    Objective(
        "mobilise",
        _l("Mobilise the partners' resources"),
        _l(
            "Mobilise the resources of the youth centre and of the police against the sexual "
            "exploitation of minors, with the youth house in the schools."
        ),
        (
            _partner(
                "police_staff_assigned",
                _l("Police staff assigned"),
                _l(
                    "Police officers, analysts and other police staff assigned to the "
                    "partnership during the period, as reported by the police."
                ),
                hide_small=False,
            ),
            _partner(
                "youth_centre_staff_assigned",
                _l("Youth centre workers assigned"),
                _l(
                    "Youth centre caseworkers assigned to the partnership during the "
                    "period, as reported by the youth centre."
                ),
                hide_small=False,
            ),
            _app(
                "presentations_held",
                _l("Joint presentations held"),
                _l(
                    "Presentations given together by a police officer and a youth-house worker "
                    "(to school boards, staff, parents) and recorded as held."
                ),
                key_figure=True,
            ),
            _app(
                "presentation_audience",
                _l("Presentation audience"),
                _l("People present at those presentations, as recorded by the presenters."),
            ),
            _app(
                "requests_received",
                _l("School requests received"),
                _l("Requests for a visit or a presentation sent by schools with the site's form."),
            ),
            _app(
                "requests_accepted",
                _l("School requests accepted"),
                _l("Those requests that led to a visit or a presentation."),
            ),
        ),
    ),
    Objective(
        "prosecute",
        _l("Prosecute exploiters and take youth out of exploitation"),
        _l(
            "Bring pimps and the people who buy sex from minors to justice, and take young "
            "people out of the sex trade."
        ),
        (
            _partner(
                "arrests",
                _l("Arrests"),
                _l(
                    "Arrests made by the police in cases of sexual exploitation of minors "
                    "during the period, from the police's incident reports."
                ),
                key_figure=True,
            ),
            _partner(
                "people_charged",
                _l("People charged"),
                _l(
                    "People against whom charges were laid in those cases during the period, "
                    "from the police's and the courts' records."
                ),
                key_figure=True,
            ),
            _partner(
                "guilty_pleas",
                _l("Convictions"),
                _l(
                    "People who pleaded guilty or were found guilty during the period, "
                    "from court records."
                ),
            ),
        ),
    ),
    Objective(
        "support",
        _l("Support youth at risk"),
        _l(
            "Give young people at risk, or who are being exploited, the support they need to "
            "leave exploitation or never enter it: prevention in the schools, an anonymous "
            "question box, referrals to services."
        ),
        (
            _partner(
                "youth_met_by_police",
                _l("Youth met by the police"),
                _l(
                    "Young people at risk of or in sexual exploitation whom the police's "
                    "investigators met during the period."
                ),
                key_figure=True,
            ),
            _partner(
                "youth_referred_by_police",
                _l("Youth referred by the police"),
                _l(
                    "Those young people whom the police referred to a support service (youth "
                    "centre, youth house, victims' help)."
                ),
            ),
            _app(
                "schools_visited",
                _l("Schools visited"),
                _l("Schools where at least one workshop session was delivered in the period."),
            ),
            _app(
                "groups_reached",
                _l("Class groups reached"),
                _l("Distinct class groups that had at least one session delivered."),
            ),
            _app(
                "sessions_delivered",
                _l("Sessions delivered"),
                _l("Workshop sessions delivered to a class group."),
            ),
            _app(
                "students_reached",
                _l("Students reached"),
                _l(
                    "The sum of the attendance recorded for those sessions: a student present "
                    "at three sessions counts three times."
                ),
                key_figure=True,
            ),
            _app(
                "questions_received",
                _l("Questions received"),
                _l(
                    "Anonymous questions sent by students, including those deleted since "
                    "(their monthly counts are kept)."
                ),
                key_figure=True,
            ),
            _app(
                "questions_answered",
                _l("Questions answered"),
                _l("Those questions that had a reply from a youth worker."),
            ),
            _app(
                "median_reply_hours",
                _l("Median hours to a first reply"),
                _l(
                    "Half of the answered questions had their first reply within this many "
                    "hours (questions still kept only)."
                ),
                hide_small=False,
                unit=HOURS,
            ),
        ),
    ),
    Objective(
        "share",
        _l("Share information"),
        _l(
            "Make it easier for the youth centre and the police to share the tactical "
            "information each needs for its mission."
        ),
        (
            _partner(
                "information_exchanges",
                _l("Official information exchanges"),
                _l(
                    "Exchanges of information between the youth centre and the police made "
                    "under the partnership's protocol during the period, as logged by them."
                ),
                key_figure=True,
            ),
            _app(
                "escalations",
                _l("Reports and referrals made"),
                _l(
                    "Reports to youth protection or to the police, and referrals to other "
                    "services, made by youth workers about anonymous questions."
                ),
            ),
        ),
    ),
)

INDICATORS = {i.key: i for objective in OBJECTIVES for i in objective.indicators}
PARTNER_INDICATORS = tuple(i for i in INDICATORS.values() if i.entered)
PARTNER_KEYS = tuple(i.key for i in PARTNER_INDICATORS)
