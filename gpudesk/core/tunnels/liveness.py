"""Find out that an SSH server stopped answering, within a bounded time.

paramiko's ``Transport.set_keepalive`` sends without asking for a reply, so it never notices a
frozen server or a cut link (``is_active()`` stays True for minutes; see
``shared/docs/ssh-facts.md``). :class:`LivenessProbe` sends ``keepalive@openssh.com`` global
requests WITH a reply, one at a time, on its own thread, and :meth:`LivenessProbe.wait_until_down`
watches the replies with a bounded wait: when none has come for ``interval_s x misses``
seconds the connection counts as DOWN and the transport is closed (which also wakes every
thread blocked on one of its channels). A refused request (``None`` from ``global_request``)
is an answer too, as long as the transport is still active. So is data moving through a
channel (:meth:`LivenessProbe.note_activity`): during a big transfer the reply may queue
behind megabytes of data (or the probe wait for paramiko's send lock), and a server that
sends, or grants window for what we send, is not dead.

TCP keepalive and ``TCP_USER_TIMEOUT`` on the socket (``remote.open_socket``) are the backstop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)

KEEPALIVE_REQUEST = "keepalive@openssh.com"
#: How often a waiting thread looks whether the transport died by itself (EOF, reset).
_ACTIVE_POLL_S = 0.1


class ProbedTransport(Protocol):
    """The part of ``paramiko.Transport`` the probe uses."""

    def global_request(self, kind: str, data: object = None, wait: bool = True) -> object:
        """Send a global request; with ``wait`` block until answered or inactive."""
        ...

    def is_active(self) -> bool:
        """False once the transport has closed."""
        ...

    def close(self) -> None:
        """Close the transport and its channels."""
        ...

    def get_exception(self) -> BaseException | None:
        """The error that ended the transport, if any."""
        ...


class MissTracker:
    """The pure rule: DOWN when no answer came for ``interval_s x misses`` seconds.

    The probe in flight must also have had at least one interval to answer, so a clock that
    jumped (a laptop waking from sleep) does not declare a healthy server dead.
    """

    def __init__(self, interval_s: float, misses: int, now: float) -> None:
        if interval_s <= 0 or misses < 1:
            raise ValueError("interval_s must be positive and misses at least 1")
        self.interval_s = interval_s
        self.misses = misses
        self.last_answer = now
        self.sent_at: float | None = None

    def sent(self, now: float) -> None:
        """A probe left at ``now``."""
        self.sent_at = now

    def answered(self, now: float) -> None:
        """The probe in flight was answered at ``now``."""
        self.last_answer = now
        self.sent_at = None

    def heard(self, when: float) -> None:
        """Data came from the server at ``when``: proof of life, like an answer."""
        self.last_answer = max(self.last_answer, when)

    def deadline(self) -> float:
        """When the connection counts as DOWN if nothing is answered before."""
        silence = self.last_answer + self.interval_s * self.misses
        if self.sent_at is None:
            return silence
        return max(silence, self.sent_at + self.interval_s)

    def missed(self, now: float) -> int:
        """How many whole intervals passed without an answer."""
        return int((now - self.last_answer) // self.interval_s)

    def is_down(self, now: float) -> bool:
        """True when the deadline has passed."""
        return now >= self.deadline()


class LivenessProbe:
    """Probe one transport until it is DOWN or cancelled.

    Args:
        transport: The connection's paramiko transport.
        interval_s: Seconds between probes (``Settings.probe_interval_s``).
        misses: Intervals without an answer before DOWN (``Settings.probe_misses``).
        clock: Monotonic seconds.
    """

    def __init__(
        self,
        transport: ProbedTransport,
        *,
        interval_s: float,
        misses: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._transport = transport
        self._clock = clock
        self._cond = threading.Condition()
        self._tracker = MissTracker(interval_s, misses, clock())
        self._cancelled = False
        self._sender_done = False
        self._probe_now = False
        self._heard_at = 0.0
        self._thread = threading.Thread(target=self._send_loop, name="gpudesk-probe", daemon=True)

    def start(self) -> None:
        """Start sending probes on the probe's own thread."""
        self._thread.start()

    def probe_now(self) -> None:
        """Send the next probe at once (after sleep/wake or when the network came back)."""
        with self._cond:
            self._probe_now = True
            self._cond.notify_all()

    def note_activity(self) -> None:
        """Data moved through a channel just now (called by the pumps; cheap, no lock)."""
        self._heard_at = self._clock()

    def cancel(self) -> None:
        """Stop probing; :meth:`wait_until_down` returns None."""
        with self._cond:
            self._cancelled = True
            self._cond.notify_all()

    def join(self, timeout: float = 5.0) -> None:
        """Wait for the probe thread (it ends once cancelled and the transport closed)."""
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def wait_until_down(self) -> str | None:
        """Block until the connection is DOWN (return why) or the probe is cancelled (None).

        On a missed deadline the transport is closed here.
        """
        with self._cond:
            while True:
                if self._cancelled:
                    return None
                if self._sender_done or not self._transport.is_active():
                    return _closed_reason(self._transport)
                now = self._clock()
                if self._heard_at > self._tracker.last_answer:
                    self._tracker.heard(self._heard_at)
                if self._tracker.is_down(now):
                    missed = max(self._tracker.missed(now), self._tracker.misses)
                    seconds = now - self._tracker.last_answer
                    break
                self._cond.wait(min(self._tracker.deadline() - now, 1.0))
        log.info("no keepalive answer for %.1f s: closing the connection", seconds)
        self._transport.close()
        return (
            f"the server did not answer {missed} keepalive probes in a row "
            f"({seconds:.1f} s without an answer or data)"
        )

    # --- the sender thread -------------------------------------------------------------------

    def _send_loop(self) -> None:
        next_at = self._clock() + self._tracker.interval_s
        try:
            while self._wait_for_next_probe(next_at):
                with self._cond:
                    self._tracker.sent(self._clock())
                try:
                    self._transport.global_request(KEEPALIVE_REQUEST, wait=True)
                except Exception as exc:  # EOFError, OSError, SSHException: the link died
                    log.debug("keepalive probe failed: %r", exc)
                    break
                # None means refused OR dead: only an active transport has really answered.
                if not self._transport.is_active():
                    break
                with self._cond:
                    self._tracker.answered(self._clock())
                    next_at = self._tracker.last_answer + self._tracker.interval_s
                    self._cond.notify_all()
        finally:
            with self._cond:
                self._sender_done = True
                self._cond.notify_all()

    def _wait_for_next_probe(self, next_at: float) -> bool:
        """Sleep until ``next_at`` (or probe_now); False when cancelled or the link died."""
        with self._cond:
            while not self._cancelled and not self._probe_now:
                if not self._transport.is_active():
                    return False
                remaining = next_at - self._clock()
                if remaining <= 0:
                    break
                self._cond.wait(min(remaining, _ACTIVE_POLL_S))
            self._probe_now = False
            return not self._cancelled and self._transport.is_active()


def _closed_reason(transport: ProbedTransport) -> str:
    error = transport.get_exception()
    if error is None or isinstance(error, EOFError):
        return "the server closed the connection"
    text = str(error) or type(error).__name__
    return f"the connection broke ({text})"
