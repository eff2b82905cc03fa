"""The urgent alert: an e-mail that says a question is waiting, and nothing else.

No topic, no school, no words of the question: an e-mail leaves the site and
may be read on a shared phone. It goes to the on-duty youth workers (or, when
nobody is on duty, to the worker the question was routed to), in both
languages since accounts carry no language.
"""

from sqlmodel import select

from app.accounts.models import User
from app.help import routing
from app.mail import send_mail

SUBJECT = "MOBILIS – Question urgente / Urgent question"
BODY = (
    "Une nouvelle question urgente attend dans la boîte de MOBILIS Prévention.\n"
    "A new urgent question is waiting in the MOBILIS Prévention inbox.\n"
)


def urgent_question_waiting(session, conversation):
    ids = routing.on_duty(session) or (
        {conversation.assigned_to_id} if conversation.assigned_to_id else set()
    )
    if not ids:
        return
    emails = session.exec(select(User.email).where(User.id.in_(ids)).order_by(User.email)).all()
    send_mail(to=list(emails), subject=SUBJECT, body=BODY)
