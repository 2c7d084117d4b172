"""The status line's time-dependent texts move in steps, so an idle console does not repaint."""

from __future__ import annotations

import pytest

from classroom_tui.ui.widgets.status_line import age_text, latency_text


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0.0004, "<10 ms"),
        (0.0099, "<10 ms"),
        (0.010, "10 ms"),
        (0.0871, "80 ms"),
        (0.1499, "100 ms"),
        (0.151, "150 ms"),
        (0.999, "950 ms"),
        (1.26, "1.3 s"),
    ],
)
def test_latency_is_shown_in_steps(seconds: float, shown: str) -> None:
    assert latency_text(seconds) == shown


def test_jitter_within_a_step_reads_the_same() -> None:
    assert len({latency_text(s / 1000) for s in (201, 215, 233, 249)}) == 1
    assert latency_text(0.249) != latency_text(0.251)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "<5s ago"), (4.9, "<5s ago"), (5, "5s ago"), (59, "55s ago"), (61, "1m ago")],
)
def test_age_is_shown_in_steps(seconds: float, shown: str) -> None:
    assert age_text(seconds) == shown
