import threading
import time

from apps.core.process_cache import ProcessCache


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def counting_cache(seconds, clock):
    built = []

    def build():
        built.append(clock())
        return len(built)

    return ProcessCache(build, seconds=lambda: seconds, clock=clock), built


def test_value_is_reused_until_it_is_seconds_old():
    clock = Clock()
    cache, built = counting_cache(10, clock)
    assert cache.get() == 1
    clock.now += 9.9
    assert cache.get() == 1
    clock.now += 0.1
    assert cache.get() == 2
    assert built == [100.0, 110.0]


def test_zero_seconds_builds_on_every_get():
    cache, built = counting_cache(0, Clock())
    assert [cache.get(), cache.get(), cache.get()] == [1, 2, 3]
    assert len(built) == 3


def test_refresh_builds_at_once_and_restarts_the_age():
    clock = Clock()
    cache, built = counting_cache(10, clock)
    cache.get()
    clock.now += 5
    assert cache.refresh() == 2
    clock.now += 9
    assert cache.get() == 2  # 9 s after the refresh, not 14 s after the first build
    assert built == [100.0, 105.0]


def test_threads_asking_at_once_build_once():
    built = []

    def slow_build():
        built.append(1)
        time.sleep(0.05)
        return "snapshot"

    cache = ProcessCache(slow_build, seconds=lambda: 60)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(cache.get())) for _n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["snapshot"] * 8
    assert len(built) == 1
