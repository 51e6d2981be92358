"""A daemon thread that runs a loop off the request path until it is stopped: the report
rollups' folder (`reporting.folder`) and the traffic log's writer (`traffic.intake`). The loop
waits on `wake` between its turns (set it to make the next turn come sooner) and ends once
`stopping` is set; `stop` sets both and waits for the thread."""

from __future__ import annotations

import threading
from collections.abc import Callable


class Background:
    def __init__(self, name: str, *, join_seconds: float) -> None:
        self.name = name
        self.join_seconds = join_seconds
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, loop: Callable[[], None]) -> None:
        """Run `loop` in the thread, unless it runs already."""
        if self.running:
            return
        self.stopping.clear()
        self._thread = threading.Thread(target=loop, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.join_seconds)
            self._thread = None
