"""Power an instance on, waiting for a free GPU (抢卡) when asked, then for ``running``.

:func:`power_on_when_free` retries a power-on refused for lack of GPUs (暂无库存) with
backoff until a deadline, reporting each refusal and a countdown to the caller (the CLI
prints it, the GUI shows it). :func:`wait_until_running` polls the status. Clock and sleep
are injectable so the logic is tested without waiting.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from gpudesk.core.errors import PlatformRefusedError, UnreachableError
from gpudesk.core.providers.model import RUNNING, SETTLED_OFF, Provider
from gpudesk.core.providers.refusals import is_no_stock
from gpudesk.core.tunnels.backoff import BackoffPolicy

#: Retries of a power-on refused for no stock: soon at first, then every minute at most.
NO_STOCK_BACKOFF = BackoffPolicy(first_delays_s=(2.0, 4.0, 8.0), factor=2.0, cap_s=60.0, jitter=0.1)
STATUS_POLL_S = 2.0
DEFAULT_START_TIMEOUT_S = 900.0
#: Statuses on the way up; a settled "off" after one of these means the start failed.
_RISING = frozenset({"starting", "creating", "running"})


@dataclass(frozen=True)
class PowerEvent:
    """One step of powering on, for the user to see.

    Attributes:
        kind: ``already_running``, ``power_on_sent``, ``no_stock`` (with ``retry_in_s`` and
            ``remaining_s``), ``countdown`` (each second of a wait) or ``status``.
        detail: A short English description (the platform's message for ``no_stock``).
        attempt: The power-on attempt this is about (1-based).
        retry_in_s: Seconds until the next attempt.
        remaining_s: Seconds left of ``--wait-for-gpu``.
        status: The instance's status (``status`` events).
    """

    kind: str
    detail: str = ""
    attempt: int = 0
    retry_in_s: float | None = None
    remaining_s: float | None = None
    status: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The event as a JSON object (None fields left out)."""
        return {
            "event": self.kind,
            **{k: v for k, v in asdict(self).items() if v not in (None, "", 0) and k != "kind"},
        }


EventSink = Callable[[PowerEvent], None]
T = TypeVar("T")


def power_on_when_free(
    provider: Provider,
    instance_id: str,
    *,
    wait_for_gpu_s: float | None = None,
    on_event: EventSink = lambda _event: None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Ask for power-on; on 暂无库存 retry with backoff while ``wait_for_gpu_s`` lasts.

    An instance that is already running (or on its way) is left alone.

    Returns:
        The number of power-on requests sent (0 when it was already up).

    Raises:
        PlatformRefusedError: ``provider.no_stock`` when the wait ran out (or there was none),
            or any other refusal at once.
    """
    status = provider.status(instance_id)
    if status in _RISING:
        on_event(PowerEvent("already_running", f"the instance is {status}", status=status))
        return 0
    _, attempts = retry_while_no_stock(
        lambda: provider.power_on(instance_id),
        wait_for_gpu_s=wait_for_gpu_s,
        on_event=on_event,
        sleep=sleep,
        clock=clock,
    )
    on_event(PowerEvent("power_on_sent", "the platform accepted the power-on", attempts))
    return attempts


def retry_while_no_stock(
    call: Callable[[], T],
    *,
    wait_for_gpu_s: float | None,
    on_event: EventSink = lambda _event: None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    uniform: Callable[[], float] = random.random,
    policy: BackoffPolicy = NO_STOCK_BACKOFF,
) -> tuple[T, int]:
    """Run ``call`` (a power-on or a create); retry it on 暂无库存 until the wait runs out.

    Returns:
        What ``call`` returned, and how many times it was called.

    Raises:
        PlatformRefusedError: ``provider.no_stock`` when ``wait_for_gpu_s`` is None or ran
            out, and any other refusal at once.
    """
    deadline = clock() + max(0.0, wait_for_gpu_s or 0.0)
    attempt = 0
    while True:
        attempt += 1
        try:
            return call(), attempt
        except PlatformRefusedError as error:
            remaining = deadline - clock()
            if not is_no_stock(error) or wait_for_gpu_s is None or remaining <= 0:
                raise
            delay = min(policy.delay(attempt - 1, uniform()), remaining)
            on_event(PowerEvent("no_stock", error.message, attempt, delay, remaining))
            _count_down(delay, attempt, deadline, on_event, sleep, clock)


def _count_down(
    delay: float,
    attempt: int,
    deadline: float,
    on_event: EventSink,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
) -> None:
    """Sleep ``delay`` seconds in steps of one, reporting the seconds left each time."""
    end = clock() + delay
    while (left := end - clock()) > 0:
        on_event(PowerEvent("countdown", "", attempt, math.ceil(left), deadline - clock()))
        sleep(min(1.0, left))


def wait_until_running(
    provider: Provider,
    instance_id: str,
    *,
    timeout_s: float = DEFAULT_START_TIMEOUT_S,
    poll_s: float = STATUS_POLL_S,
    on_event: EventSink = lambda _event: None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Poll the status until ``running``; every change is reported.

    Raises:
        PlatformRefusedError: ``provider.start_failed`` when it fell back to off after rising.
        UnreachableError: ``provider.start_timeout`` when it was not running in time.
    """
    deadline = clock() + timeout_s
    last: str | None = None
    rose = False
    while True:
        status = provider.status(instance_id)
        if status != last:
            on_event(PowerEvent("status", f"the instance is {status}", status=status))
            last = status
        if status == RUNNING:
            return
        rose = rose or status in _RISING
        if rose and status in SETTLED_OFF:
            raise PlatformRefusedError(
                "provider.start_failed",
                f"The instance {instance_id} stopped again while starting ({status}).",
                "Look at the instance in the platform's console, then power it on again.",
            )
        if clock() >= deadline:
            raise UnreachableError(
                "provider.start_timeout",
                f"The instance {instance_id} was not running after {timeout_s:.0f} s "
                f"(last status: {status}).",
                "Look at the instance in the platform's console; power it on again later.",
            )
        sleep(poll_s)
