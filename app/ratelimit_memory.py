"""Rate-limit counts in this process's memory, without a thread per count.

limits' own `memory://` storage sweeps expired counts on a `threading.Timer`
that lives 10 ms: after any quiet moment, the next count starts a new thread
and waits until it has started. On a busy 2-core machine that wait was
milliseconds of a question's time while a class sent theirs at once (issue
22, docs/performance.md). `memory-swept://` (the default of
RATELIMIT_STORAGE_URI) is the same storage, swept in line by the request that
counts, at most once a second and by one thread at a time. A count's own
expiry is still checked when it is read (limits' `get`), so the sweep only
keeps memory from growing.

Production counts in Redis (docs/deploy.md); this is for one process
(`make run`, a single host). While Redis does not answer, Flask-Limiter
counts in a `memory://` storage of its own making, timer and all.
"""

import contextlib
import threading
import time

from limits.storage import MemoryStorage

SWEEP_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["memory-swept"]

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = 0.0
        self._sweeping = threading.Lock()

    def _MemoryStorage__schedule_expiry(self):  # replaces limits' timer thread
        now = time.monotonic()
        if now < self._next_sweep or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + SWEEP_SECONDS
            # limits' sweep lists the keys, then reads each one: a count read
            # meanwhile by another thread (`get` drops an expired one) is gone
            # by then. Its own thread never minded; a request must not fail
            # for it, and the next sweep finishes the job.
            with contextlib.suppress(KeyError):
                self._MemoryStorage__expire_events()
        finally:
            self._sweeping.release()
