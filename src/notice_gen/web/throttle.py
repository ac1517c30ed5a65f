"""Failed sign-ins slowed down: after a few wrong passwords for one name, or many from
one address, signing in there waits until the oldest counted failure is old enough
(OWASP, authentication: account lockout)."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

WINDOW = 15 * 60  # seconds a failure counts for
PER_NAME = 5  # failures for one name within the window
PER_ADDRESS = 20  # failures from one address (an office may share one)
KEYS = 10_000  # names and addresses remembered; past that the expired go, then the oldest


@dataclass
class Throttle:
    """Recent failed sign-ins by name and by address, in memory."""

    clock: Callable[[], float] = time.monotonic
    failures: dict[str, deque[float]] = field(default_factory=dict)

    def wait(self, name: str, address: str) -> int:
        """Seconds before `name` may try again from `address`: 0 when it may now."""
        now, longest = self.clock(), 0.0
        for key, limit in zip(self._keys(name, address), (PER_NAME, PER_ADDRESS), strict=True):
            times = self.failures.get(key, ())
            if len(times) >= limit:
                longest = max(longest, times[-limit] + WINDOW - now)
        return math.ceil(longest)

    def attempted(self, name: str, address: str) -> None:
        """Count an attempt for `name` from `address`: before its password is checked, so
        that attempts made at once are counted at once (`passed` takes it back)."""
        now = self.clock()
        if len(self.failures) >= KEYS:
            self.failures = {k: t for k, t in self.failures.items() if t[-1] > now - WINDOW}
            if len(self.failures) >= KEYS:
                newest = sorted(self.failures.items(), key=lambda kt: kt[1][-1])[KEYS // 2 :]
                self.failures = dict(newest)
        for key in self._keys(name, address):
            self.failures.setdefault(key, deque(maxlen=PER_ADDRESS)).append(now)

    def passed(self, name: str, address: str) -> None:
        """The password was right: the name's count starts again, the address's attempt
        is taken back."""
        by_name, by_address = self._keys(name, address)
        self.failures.pop(by_name, None)
        if times := self.failures.get(by_address):
            times.pop()

    @staticmethod
    def _keys(name: str, address: str) -> tuple[str, str]:
        return f"name:{name[:64]}", f"address:{address}"
