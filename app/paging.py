"""Pages of long lists: the page asked for, its rows, and how many there are.

A paged view asks for `Page.requested(size)` (the `page` query argument),
hands it to the service, which cuts its ordered query with `page.of(...)` and
counts the whole list, then renders `page.number` of `page.count(total)`
(a 404 past the last page).
"""

import math
from typing import NamedTuple

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


class Page(NamedTuple):
    """Page `number` (from 1) of a list shown `size` rows at a time."""

    number: int
    size: int

    @classmethod
    def requested(cls, size):
        """The page the request asks for (`?page=`), `size` rows long."""
        return cls(requested_page(), size)

    @property
    def offset(self):
        """How many rows come before this page's."""
        return (self.number - 1) * self.size

    def of(self, statement):
        """`statement` (in its order) cut to this page's rows."""
        return statement.offset(self.offset).limit(self.size)

    def count(self, total):
        """How many pages `total` rows make (at least 1); 404 past the last one."""
        return page_count(total=total, per_page=self.size, page=self.number)
