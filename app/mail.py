"""Sending e-mail: a console backend in development, SMTP in production.

MAIL_BACKEND picks it: `console` writes the message to the app's log,
`memory` keeps it in `app.extensions["mail_outbox"]` (for tests and the
load benchmark), `smtp` sends it through MAIL_SERVER:MAIL_PORT (STARTTLS when
MAIL_USE_TLS, login when MAIL_USERNAME is set).
"""

import smtplib
from email.message import EmailMessage

from flask import current_app


def send_mail(*, to, subject, body):
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message.set_content(body)
    backend = config["MAIL_BACKEND"]
    if backend == "memory":
        current_app.extensions.setdefault("mail_outbox", []).append(message)
    elif backend == "smtp":
        server, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
        with smtplib.SMTP(server, port, timeout=timeout) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    else:
        current_app.logger.info("e-mail to %s: %s\n%s", message["To"], subject, body)
