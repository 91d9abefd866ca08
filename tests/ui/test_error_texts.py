"""Every error the core or the CLI can raise has a hint, and a Chinese message and hint.

The codes are found in the sources without running them (:mod:`tests.errorcodes`); a code
added without texts makes the failure message name it and where it is raised, so whoever
merges knows what to translate (``gpudesk/ui/errortexts/<area>.py`` + ``make i18n``).
"""

from __future__ import annotations

import re

import pytest

from gpudesk.core.errors import GpuDeskError, InputError, RemoteCommandError
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.errortexts import known_texts
from tests.errorcodes import raised_codes, raises_without_hint
from tests.ui.test_i18n import chinese  # noqa: F401 (fixture)

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_raised_error_has_a_hint() -> None:
    missing = raises_without_hint()
    assert missing == [], "give these errors a hint:\n" + "\n".join(missing)


def test_the_scan_finds_the_codes_it_should() -> None:
    codes = raised_codes()
    assert len(codes) > 120  # the scan itself works
    for code in ("ssh.auth_failed", "file.locked", "keyinstall.home_read_only", "jupyter.not_ours"):
        assert code in codes
    assert not any(code.startswith("ssh.parse.") for code in codes)


def test_every_raised_error_code_has_a_message_and_a_hint() -> None:
    texts = known_texts()
    codes = raised_codes()
    missing = sorted(code for code in codes if code not in texts)
    listing = "\n".join(f"{code} ({codes[code][0]})" for code in missing)
    assert missing == [], "add translated texts in gpudesk/ui/errortexts for:\n" + listing
    empty = sorted(code for code, (message, hint) in texts.items() if not message or not hint)
    assert empty == []


@pytest.mark.usefixtures("chinese")
def test_every_error_text_is_chinese_in_the_chinese_ui() -> None:
    english = sorted(
        code
        for code, (message, hint) in known_texts().items()
        if not CJK.search(message) or not CJK.search(hint)
    )
    assert english == [], "translate in resources/i18n/gpudesk_zh_CN.ts: " + ", ".join(english)


@pytest.mark.usefixtures("chinese")
def test_a_chinese_error_keeps_the_english_original_as_details() -> None:
    error = RemoteCommandError(
        "webapp.start_failed", "tensorboard exited: No module named 'tensorboard'", "pip ..."
    )
    message, hint, details = describe_error(error)
    assert CJK.search(message) and CJK.search(hint)
    assert details == "tensorboard exited: No module named 'tensorboard'"
    removal = InputError("instance.changed", "The instance 'a' changed.", "Open it again.")
    assert CJK.search(describe_error(removal)[0])
    assert isinstance(removal, GpuDeskError)
