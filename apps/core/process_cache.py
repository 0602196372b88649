"""A value built from the database and reused by one process for a few seconds.

For reference data that every request of a hot path needs and staff change rarely
(deadline policies, the working calendar, regions, units, diversion lists): reading it
once per request costs more than the request's own work. Each process keeps its own
copy; an edit reaches a process when its copy expires, so ``seconds`` bounds how late.
"""

import threading
import time


class ProcessCache:
    def __init__(self, build, *, seconds, clock=time.monotonic):
        """``build()`` makes the value; ``seconds()`` says how long it may be reused (0:
        build it on every ``get``)."""
        self._build, self._seconds, self._clock = build, seconds, clock
        self._lock = threading.Lock()
        self._entry = None  # (built at, value), replaced whole so threads see a pair

    def _fresh(self):
        entry = self._entry
        if entry is not None and self._clock() - entry[0] < self._seconds():
            return entry
        return None

    def get(self):
        entry = self._fresh()
        if entry is None:
            with self._lock:
                entry = self._fresh()  # another thread may have built it meanwhile
                if entry is None:
                    entry = self._store()
        return entry[1]

    def refresh(self):
        """Build the value now, whatever its age (something it should know is missing)."""
        with self._lock:
            return self._store()[1]

    def _store(self):
        started = self._clock()
        self._entry = (started, self._build())
        return self._entry
