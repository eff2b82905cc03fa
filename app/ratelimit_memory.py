"""Rate-limit counts in this process's memory, without a thread per count.

limits' own `memory://` storage sweeps expired counts on a `threading.Timer`
that lives 10 ms: after any quiet moment, the next count starts a new thread
and waits until it has started. On a busy 2-core machine that wait was
milliseconds of a question's time while a class sent theirs at once (issue
22, docs/performance.md). `memory-swept://` (the default of
RATELIMIT_STORAGE_URI) is the same storage, swept in line by the request that
counts, at most once a second. A count's own expiry is still checked when it
is read (limits' `get`), so the sweep only keeps memory from growing.

Production counts in Redis (docs/deploy.md); this is for one process
(`make run`, a single host) and the fallback while Redis does not answer.
"""

import time

from limits.storage import MemoryStorage

SWEEP_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["memory-swept"]

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self):  # replaces limits' timer thread
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()
