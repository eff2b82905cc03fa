"""Where to go after signing in: the page asked for (`next=`), if it is on this
site; else the user's work (`work_page`).

`next` comes from a link anyone can craft, so it is an open door to another
site unless checked. Browsers drop tabs and line breaks from a URL, read a
backslash as a slash and follow `//host` to another host; servers and proxies
on the way may decode percent-escapes once more. So a value is kept only when
it is a path on this site (one leading slash, no scheme, no host) in its raw
form and in every form that decoding it again gives; anything else, or a
character a browser would drop or reinterpret, sends the user to their
default page instead.
"""

import unicodedata
from urllib.parse import unquote, urlsplit

from flask import current_app, url_for

from app.security import Role

# Longer than any page of the site with its filters; longer is not a page here.
MAX_LENGTH = 2000
# Decoding rounds checked: `%25` nested deeper than this is refused outright.
DECODING_ROUNDS = 4


# Each role's work: what it opens the site for. Endpoints by name, so that
# accounts imports none of the domains above it. "My account" is in the menu.
WORK_PAGES = {
    Role.PREVENTION_WORKER: "visits.agenda",  # this week's sessions, those to record
    Role.YOUTH_WORKER: "help.inbox_index",
    Role.COORDINATOR: "reports.coordination",  # the requests waiting, the figures
    Role.POLICE_OFFICER: "presentations.index",  # the coming presentations
    Role.ADMIN: "admin.users",
}


def work_page(user):
    """The URL of `user`'s work (WORK_PAGES), where a sign-in without a safe
    `next` lands; the account page for a role with none, or in an app built
    without that part."""
    endpoint = WORK_PAGES.get(user.role)
    if endpoint not in current_app.view_functions:
        endpoint = "accounts.account"
    return url_for(endpoint)


def safe_next(target):
    """`target` when it is a path on this site, else None."""
    if not target or len(target) > MAX_LENGTH:
        return None
    value = target
    for _ in range(DECODING_ROUNDS):
        if not _is_local_path(value):
            return None
        decoded = unquote(value)
        if decoded == value:
            return target
        value = decoded
    return None


def _is_local_path(value):
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return False
    if any(_dropped_or_reread(character) for character in value):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc


def _dropped_or_reread(character):
    """Control, format and separator characters, and any white space: browsers
    drop some of them and the Location header cannot carry others (a line
    break there is a 500)."""
    return character.isspace() or unicodedata.category(character)[0] in {"C", "Z"}
