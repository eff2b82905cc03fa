"""Pages of long lists: the page asked for, and how many there are."""

import math

from flask import abort, request


def requested_page():
    """The `page` query argument, from 1; anything else counts as page 1."""
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def page_count(*, total, per_page, page):
    """How many pages `total` items make (at least 1); 404 past the last one."""
    pages = max(1, math.ceil(total / per_page))
    if page > pages:
        abort(404)
    return pages
