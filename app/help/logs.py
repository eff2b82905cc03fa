"""The development server's request lines: no address, and for the help pages no moment.

Werkzeug's development server starts each line with the client's address and
the time to the second, and ends a request's line with the size of the
answer (the time is the server's local time):
`127.0.0.1 - - [04/Mar/2025 14:37:21] "POST /fr/help/ HTTP/1.1" 200 5123`.
This filter replaces the address with "-" on every line (staff's too: a
simpler rule is a safer one). On the line of a student's request (the help
pages, `app.jsonlog.is_student_request`, decided here by the path) it also
rounds the time down to the hour, leaves out the size and the query, and
rounds the record's own time, which a JSON or timestamped handler writes:
`- - - [04/Mar/2025 14:00:00] "POST /fr/help/ HTTP/1.1" 200 -`.

In production, gunicorn writes no access line for such a request and rounds
its other lines the same way (gunicorn.conf.py, app/jsonlog.py).
"""

import logging
import re
from urllib.parse import unquote, urlsplit

from app.jsonlog import is_student_request

_ADDRESS = re.compile(r"^\S+ - - \[")
# The end of werkzeug's request line (serving.WSGIRequestHandler.log_request).
_REQUEST_LINE = '"%s" %s %s'
# Minutes and seconds at the end of "- - - [04/Mar/2025 14:37:21".
_MINUTES = re.compile(r"(?<= \d{2}):\d{2}:\d{2}$")
# The colours werkzeug gives a request line on a terminal.
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class DropAddresses(logging.Filter):
    def filter(self, record):
        student = _student_request_line(record)
        message = _ADDRESS.sub("- - - [", record.getMessage(), count=1)
        if student is not None:
            request_line, status = student
            moment = _MINUTES.sub(":00:00", message.split('] "', 1)[0])
            message = f'{moment}] "{request_line}" {status} -'
            record.created -= record.created % 3600
            record.msecs = 0.0
        record.msg, record.args = message, ()
        return True


def _student_request_line(record):
    """(request line without its query, status) of a student's request, else None.

    A request line werkzeug could not read names no path: it counts as a
    student's (app/jsonlog.py), and is written as "-".
    """
    if not (
        isinstance(record.msg, str)
        and record.msg.endswith(_REQUEST_LINE)
        and isinstance(record.args, tuple)
        and len(record.args) == 3
    ):
        return None
    request_line, status, _size = record.args
    parts = _ANSI.sub("", str(request_line)).split(" ")
    if len(parts) != 3:
        return "-", status
    method, target, protocol = parts
    path = unquote(urlsplit(target).path)
    if not is_student_request(None, path):
        return None
    return f"{method} {path} {protocol}", status


def init_app(app):
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, DropAddresses) for f in logger.filters):
        logger.addFilter(DropAddresses())
