"""The one check of a typed instance name that the Editor and Summary steps share.

A name OpenSSH cannot take is refused, and so is one another saved instance has (in any
case); the instance being saved again keeps its own. The Chinese texts come from the real
translation file.
"""

from __future__ import annotations

import pytest

from gpudesk.core.models import SshTarget
from gpudesk.core.store.instances import Instance, new_host_key_alias
from gpudesk.ui.wizard.texts import alias_problem
from tests.ui.test_i18n import chinese  # noqa: F401 (the fixture that installs the .ts)


def _saved(alias: str) -> Instance:
    return Instance(
        alias=alias,
        target=SshTarget("root", "127.0.0.1", 22),
        platform_id=None,
        host_key_alias=new_host_key_alias(),
    )


def test_a_name_is_refused_when_invalid_or_taken_but_an_instance_keeps_its_own() -> None:
    mine, other = _saved("autodl-4090"), _saved("Luchen-A100")
    saved = [mine, other]
    assert alias_problem("new-box", saved, None) is None
    assert alias_problem("autodl-4090", saved, mine) is None
    assert alias_problem("AUTODL-4090", saved, None) == (
        "An instance with this name exists already."
    )
    assert alias_problem("luchen-a100", saved, mine) == (
        "An instance with this name exists already."
    )
    for bad in ("", "-x", ".x", "a b", "x" * 65):
        problem = alias_problem(bad, saved, None)
        assert problem is not None and problem.startswith("Use 1-64 letters"), bad


@pytest.mark.usefixtures("chinese")
def test_the_refusals_read_in_chinese() -> None:
    assert alias_problem("a b", [], None) == (
        "请使用 1-64 个字母、数字、“.”、“_”或“-”，且不能以“-”或“.”开头。"
    )
    assert alias_problem("box", [_saved("box")], None) == "已有同名的实例。"
