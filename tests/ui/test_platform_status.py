"""A platform instance's status reads the same in the account tab and the wizard's picker."""

from __future__ import annotations

import pytest

from gpudesk.ui.widgets.platform_status import MAX_UNKNOWN_STATUS, platform_status_text
from tests.ui.test_i18n import chinese  # noqa: F401 (the fixture that installs the .ts)


def test_known_statuses_have_words_and_an_unknown_one_is_shown_cut_short() -> None:
    assert platform_status_text("running") == "Running"
    assert platform_status_text("shutting_down") == "Powering off"
    assert platform_status_text("hibernating") == "hibernating"
    flood = "x" * 10_000
    assert platform_status_text(flood) == "x" * MAX_UNKNOWN_STATUS


@pytest.mark.usefixtures("chinese")
def test_the_words_read_in_chinese() -> None:
    assert [platform_status_text(s) for s in ("running", "shutdown", "released")] == [
        "运行中",
        "已关机",
        "已释放",
    ]
