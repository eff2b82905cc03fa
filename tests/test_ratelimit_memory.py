"""Rate limits counted in the process's memory (app/ratelimit_memory.py):
the limits hold as before, and counting starts no thread."""

import threading
import time

from limits import parse
from limits.strategies import FixedWindowRateLimiter

from app.ratelimit_memory import SweptMemoryStorage
from app.security import limiter


def test_the_default_storage_is_the_swept_one(app):
    with app.app_context():
        assert type(limiter.storage) is SweptMemoryStorage


def test_a_class_asking_starts_no_thread_and_guessing_is_still_refused(student, monkeypatch):
    started = []
    start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda t: (started.append(t), start(t))[1])
    for number in range(12):
        student.ask(f"question {number} : c’est quoi un pimp?")
        time.sleep(0.015)  # past limits' own 10 ms timer, which would start a new one
    statuses = [student.check("un deux trois quatre cinq six").status_code for _ in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    assert [t for t in started if isinstance(t, threading.Timer)] == []


def test_expired_counts_are_swept_from_memory():
    storage = SweptMemoryStorage()
    counter = FixedWindowRateLimiter(storage)
    one_second = parse("2 per 1 second")
    assert [counter.hit(one_second, "a") for _ in range(3)] == [True, True, False]
    assert storage.storage
    time.sleep(1.1)
    assert counter.hit(parse("2 per 1 minute"), "b")  # sweeps "a", past its window
    assert [key for key in storage.storage if "/a/" in key] == []
    assert counter.hit(one_second, "a"), "a new window"


def test_a_count_dropped_by_another_thread_during_the_sweep_fails_no_request(monkeypatch):
    storage = SweptMemoryStorage()
    storage.timer.join()  # the one timer limits starts when the storage is made
    storage.incr("gone", 0.01)
    time.sleep(0.02)
    assert "gone" in storage.expirations
    keys = storage.expirations.keys

    def listed_then_dropped():
        listed = list(keys())
        storage.get("gone")  # another thread's read drops the expired count
        return listed

    monkeypatch.setattr(storage, "expirations", _Keys(storage.expirations, listed_then_dropped))
    monkeypatch.setattr(storage, "_next_sweep", 0.0)  # this count sweeps
    assert storage.incr("new", 60) == 1


class _Keys(dict):
    def __init__(self, data, keys):
        super().__init__(data)
        self._keys = keys

    def keys(self):
        return self._keys()
