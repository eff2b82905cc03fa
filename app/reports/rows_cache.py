"""The grouped counts of a school year, kept between reports until a write.

A report reads a whole school year's counts (app/reports/cube.py says why),
twice (the year and the year before): with a million sessions, seconds of
SQL, the same for the page and each of its downloads, and for each
coordinator who opens it. So the rows each statement of cube_sql.py answers
are kept per engine, keyed by the statement and its period, and dropped:

- at once, in this process, when a connection of the engine commits after
  writing to a table they count (an INSERT, UPDATE or DELETE, through the ORM
  or not; a sign-in or an audit line drops nothing);
- after KEPT_SECONDS in any case, for the writes of other processes and
  hosts, which this one cannot see: a report is at most that late on them.

Rows read while a write was under way are not kept (`generation`), so a
report never keeps counts from before a write that it had a chance to miss.
"""

import re
import threading
import time
import weakref

import sqlalchemy as sa

KEPT_SECONDS = 60
# The tables app/reports/cube_sql.py reads.
COUNTED = frozenset(
    {
        "class_session",
        "visit",
        "class_group",
        "presentation",
        "distribution_record",
        "school_request",
        "help_conversation",
        "help_escalation",
        "help_monthly_count",
    }
)
# A statement that reads only starts with one of these; a write names its
# table here. Anything else counts as a write to a counted table: keeping
# too little only costs time.
_READS = ("SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "SHOW", "SET ")
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.I)
_WROTE = "mobilis.report_rows_wrote"


class RowsCache:
    def __init__(self):
        self.generation = 0
        self._entries = {}
        self._lock = threading.Lock()

    def get(self, key, compute):
        """The rows kept for `key`, or `compute()`'s, kept unless a write came meanwhile."""
        started = time.monotonic()
        with self._lock:
            generation = self.generation
            found = self._entries.get(key)
        if found is not None and started - found[0] < KEPT_SECONDS:
            return found[1]
        rows = compute()
        with self._lock:
            if self.generation == generation:
                self._entries[key] = (started, rows)
        return rows

    def written(self):
        with self._lock:
            self.generation += 1
            self._entries.clear()


_caches = weakref.WeakKeyDictionary()  # engine -> RowsCache
_caches_lock = threading.Lock()


def writes_counted_rows(statement):
    """Whether a statement may change what the reports count."""
    if statement.lstrip()[:9].upper().startswith(_READS):
        return False
    write = _WRITE.match(statement)
    return write is None or write.group(1).lower() in COUNTED


def _statement_written(conn, _cursor, statement, _parameters, _context, _executemany):
    if writes_counted_rows(statement):
        conn.info[_WROTE] = True


def _committed(conn):
    if conn.info.pop(_WROTE, False):
        with _caches_lock:
            cache = _caches.get(conn.engine)
        if cache is not None:
            cache.written()


def _rolled_back(conn):
    conn.info.pop(_WROTE, None)


def cache_of(engine):
    """The engine's cache, made (and its events listened to) on first use."""
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = RowsCache()
            sa.event.listen(engine, "before_cursor_execute", _statement_written)
            sa.event.listen(engine, "commit", _committed)
            sa.event.listen(engine, "rollback", _rolled_back)
        return cache


def kept_rows(session, key, compute):
    """`compute()`'s rows, kept for `key` on the session's engine."""
    return cache_of(session.get_bind()).get(key, compute)
