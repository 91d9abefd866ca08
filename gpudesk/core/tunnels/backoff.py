"""When to try again after a lost or failed connection: quick first, then growing, capped, jittered.

A rented GPU's connection usually comes back at once (a NAT hiccup, a laptop waking up), so the
first retries are quick; an instance that is being restarted takes minutes, so later retries
back off to ``cap_s``. Jitter keeps many tunnels from retrying in lock-step. The counter resets
only after a connection stayed up for ``stable_after_s``, so a server that accepts and then
drops every login is not hammered.

Everything here is pure logic with an injectable clock and random source.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class BackoffPolicy:
    """How long to wait before each retry.

    Attributes:
        first_delays_s: The delays of the first retries, in order (quick ones).
        factor: Each later delay is the previous one times this.
        cap_s: No delay is longer than this.
        jitter: Each delay is scaled by a random factor in ``[1 - jitter, 1 + jitter]``.
        stable_after_s: A connection up at least this long resets the retry counter.
    """

    first_delays_s: tuple[float, ...] = (0.0, 0.5, 1.0)
    factor: float = 2.0
    cap_s: float = 30.0
    jitter: float = 0.2
    stable_after_s: float = 10.0

    def __post_init__(self) -> None:
        if not self.first_delays_s or any(d < 0 for d in self.first_delays_s):
            raise ValueError("first_delays_s needs at least one delay, none negative")
        if self.factor < 1 or self.cap_s < 0 or not 0 <= self.jitter < 1:
            raise ValueError("factor >= 1, cap_s >= 0 and 0 <= jitter < 1 are required")

    def base_delay(self, attempt: int) -> float:
        """The delay before retry number ``attempt`` (0 = the first retry), without jitter."""
        if attempt < 0:
            raise ValueError("attempt must not be negative")
        firsts = self.first_delays_s
        if attempt < len(firsts):
            return min(firsts[attempt], self.cap_s)
        grown = max(firsts[-1], 0.5) * self.factor ** (attempt - len(firsts) + 1)
        return min(grown, self.cap_s)

    def delay(self, attempt: int, uniform: float) -> float:
        """The jittered delay before retry ``attempt``; ``uniform`` is a random draw in [0, 1)."""
        scale = 1.0 + self.jitter * (2.0 * uniform - 1.0)
        return min(self.base_delay(attempt) * scale, self.cap_s)


class Backoff:
    """The retry counter of one connection.

    Args:
        policy: The delays to use.
        clock: Monotonic seconds (``time.monotonic`` unless testing).
        uniform: Random draws in [0, 1) (``random.random`` unless testing).
    """

    def __init__(
        self,
        policy: BackoffPolicy,
        *,
        clock: Callable[[], float] = time.monotonic,
        uniform: Callable[[], float] = random.random,
    ) -> None:
        self.policy = policy
        self._clock = clock
        self._uniform = uniform
        self._attempt = 0
        self._up_since: float | None = None

    @property
    def attempt(self) -> int:
        """How many retries were scheduled since the last reset."""
        return self._attempt

    def next_delay(self) -> float:
        """The delay before the next retry; counts the retry."""
        delay = self.policy.delay(self._attempt, self._uniform())
        self._attempt += 1
        return delay

    def connected(self) -> None:
        """Note that a connection came up now."""
        self._up_since = self._clock()

    def disconnected(self) -> None:
        """Note that the connection went down; reset the counter if it had been stable."""
        if self._up_since is not None and self._clock() - self._up_since >= (
            self.policy.stable_after_s
        ):
            self._attempt = 0
        self._up_since = None

    def reset(self) -> None:
        """Start counting from the first, quick retry again (the user asked to retry)."""
        self._attempt = 0
