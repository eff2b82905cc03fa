"""No log line holds a visitor's address.

Werkzeug's development server starts each request line with the client's
address. This filter replaces it with "-" on every line (staff's too: a
simpler rule is a safer one). gunicorn's access log format in production
leaves the address out the same way (docs/security.md).
"""

import logging
import re

_ADDRESS = re.compile(r"^\S+ - - \[")


class DropAddresses(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        if _ADDRESS.match(message):
            record.msg = _ADDRESS.sub("- - - [", message, count=1)
            record.args = ()
        return True


def init_app(app):
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, DropAddresses) for f in logger.filters):
        logger.addFilter(DropAddresses())
