"""The regions rule as views use it: for the signed-in user, on the request's
session. A row outside their regions is a 404, exactly as a row that does not
exist (app/regions/services.py says which rows lie where)."""

from flask import abort
from flask_login import current_user

from app.db import get_session
from app.regions.services import limited_regions, load_in_regions, only_in_regions


def current_regions():
    """The signed-in user's regions, or None when they see every region."""
    return limited_regions(get_session(), current_user)


def load_or_404(model, key, *, shared=True):
    """The row of `model` with primary key `key`, or a 404 when it does not
    exist or lies outside the signed-in user's regions."""
    row = load_in_regions(get_session(), current_user, model, key, shared=shared)
    if row is None:
        abort(404)
    return row


def visible(statement, model, *, shared=True):
    """`statement` limited to the rows of `model` the signed-in user may see:
    every list, count and choice goes through here."""
    return only_in_regions(statement, model, current_regions(), shared=shared)
