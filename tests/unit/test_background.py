"""sparkads.background.Background, the daemon thread of the rollup folder and the traffic log's
writer: one thread at a time, woken early by `wake`, ended and joined by `stop`, and able to start
again after a stop (as both did before they shared it, issue 18)."""

from __future__ import annotations

import threading

from sparkads.background import Background


class _Loop:
    """A loop as the folder and the writer run it: a turn, then wait for `wake` or the tick."""

    def __init__(self, background: Background, tick: float = 30.0) -> None:
        self.background = background
        self.tick = tick
        self.turns = 0
        self.threads: set[str] = set()
        self.turned = threading.Semaphore(0)

    def __call__(self) -> None:
        self.threads.add(threading.current_thread().name)
        while not self.background.stopping.is_set():
            self.turns += 1
            self.turned.release()
            self.background.wake.wait(self.tick)
            self.background.wake.clear()


def test_one_daemon_thread_runs_the_loop_and_wake_brings_its_next_turn() -> None:
    background = Background("test-loop", join_seconds=5)
    loop = _Loop(background)

    background.start(loop)
    background.start(loop)  # already running: no second thread
    assert loop.turned.acquire(timeout=5)
    background.wake.set()
    assert loop.turned.acquire(timeout=5)  # long before the 30 s tick

    assert background.running
    [thread] = [t for t in threading.enumerate() if t.name == "test-loop"]
    assert thread.daemon
    background.stop()
    assert not background.running
    assert not thread.is_alive()  # joined
    assert loop.turns == 2


def test_a_stopped_loop_starts_again() -> None:
    background = Background("test-loop-again", join_seconds=5)
    loop = _Loop(background)
    background.stop()  # never started: nothing to join

    background.start(loop)
    assert loop.turned.acquire(timeout=5)
    background.stop()
    background.start(loop)
    assert loop.turned.acquire(timeout=5)

    assert background.running
    background.stop()
    assert not background.running
    assert loop.turns >= 2  # the stop's wake may bring one more turn at once after the restart
    assert loop.threads == {"test-loop-again"}
