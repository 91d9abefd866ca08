"""Reconnect delays: quick first, growing, capped, jittered; reset only after a stable link."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpudesk.core.tunnels.backoff import Backoff, BackoffPolicy


class FakeClock:
    """Monotonic time that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_first_retries_are_quick_then_grow_to_the_cap() -> None:
    policy = BackoffPolicy(first_delays_s=(0.0, 0.5, 1.0), factor=2.0, cap_s=30.0, jitter=0.0)
    delays = [policy.base_delay(n) for n in range(10)]
    assert delays == [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]


def test_jitter_spreads_a_delay_both_ways_but_never_past_the_cap() -> None:
    policy = BackoffPolicy(first_delays_s=(4.0,), jitter=0.25, cap_s=4.5)
    assert policy.delay(0, 0.0) == pytest.approx(3.0)
    assert policy.delay(0, 0.5) == pytest.approx(4.0)
    assert policy.delay(0, 0.999999) == pytest.approx(4.5)  # 5.0 capped


@given(
    attempt=st.integers(min_value=0, max_value=200),
    uniform=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
    jitter=st.floats(min_value=0.0, max_value=0.9),
)
def test_every_delay_lies_within_the_jitter_band_and_the_cap(
    attempt: int, uniform: float, jitter: float
) -> None:
    policy = BackoffPolicy(jitter=jitter)
    base = policy.base_delay(attempt)
    delay = policy.delay(attempt, uniform)
    assert 0.0 <= delay <= policy.cap_s
    assert base * (1 - jitter) - 1e-9 <= delay <= base * (1 + jitter) + 1e-9


@given(st.integers(min_value=0, max_value=100))
def test_base_delays_never_shrink(attempt: int) -> None:
    policy = BackoffPolicy()
    assert policy.base_delay(attempt + 1) >= policy.base_delay(attempt)


def test_counter_resets_only_after_the_connection_was_stable() -> None:
    clock = FakeClock()
    backoff = Backoff(
        BackoffPolicy(first_delays_s=(0.0, 1.0), jitter=0.0, stable_after_s=10.0),
        clock=clock,
        uniform=lambda: 0.5,
    )
    assert [backoff.next_delay() for _ in range(3)] == [0.0, 1.0, 2.0]
    backoff.connected()
    clock.now += 3.0  # dropped soon after login: keep backing off
    backoff.disconnected()
    assert backoff.next_delay() == 4.0
    backoff.connected()
    clock.now += 10.0  # up long enough: the next loss retries quickly again
    backoff.disconnected()
    assert backoff.attempt == 0
    assert backoff.next_delay() == 0.0


def test_reset_starts_again_with_the_quick_retries() -> None:
    backoff = Backoff(BackoffPolicy(jitter=0.0), uniform=lambda: 0.5)
    for _ in range(6):
        backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() == 0.0


@pytest.mark.parametrize(
    "kwargs",
    [{"first_delays_s": ()}, {"first_delays_s": (-1.0,)}, {"factor": 0.5}, {"jitter": 1.0}],
)
def test_nonsense_policies_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        BackoffPolicy(**kwargs)  # type: ignore[arg-type]
