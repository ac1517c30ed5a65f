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
KEYS = 10_000  # names and addresses remembered before the expired are forgotten


@dataclass
class Throttle:
    """Recent failed sign-ins by name and by address, in memory."""

    clock: Callable[[], float] = time.monotonic
    failures: dict[str, deque[float]] = field(default_factory=dict)

    def wait(self, name: str, address: str) -> int:
        """Seconds before `name` may try again from `address`: 0 when it may now."""
        now, longest = self.clock(), 0.0
        for key, limit in ((f"name:{name}", PER_NAME), (f"address:{address}", PER_ADDRESS)):
            times = self.failures.get(key, ())
            if len(times) >= limit:
                longest = max(longest, times[-limit] + WINDOW - now)
        return math.ceil(longest)

    def failed(self, name: str, address: str) -> None:
        now = self.clock()
        if len(self.failures) >= KEYS:
            self.failures = {k: t for k, t in self.failures.items() if t[-1] > now - WINDOW}
        for key in (f"name:{name}", f"address:{address}"):
            self.failures.setdefault(key, deque(maxlen=PER_ADDRESS)).append(now)

    def passed(self, name: str, address: str) -> None:
        self.failures.pop(f"name:{name}", None)
        self.failures.pop(f"address:{address}", None)
