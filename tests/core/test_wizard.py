"""The wizard's flow as data: order, branches, skips, history, secrets and saved progress."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.errors import InputError
from gpudesk.core.ssh.check import CheckResult
from gpudesk.core.store.settings import load_state, save_state, state_path
from gpudesk.core.wizard import (
    MAIN_PATH,
    STATE_KEY,
    STEPS,
    EditorChoice,
    StepId,
    WizardData,
    WizardFlow,
    clear_progress,
    is_sensitive,
    load_progress,
    save_progress,
)

#: What the UI registers today: the key and editor pages come with later issues.
TODAY = ("platform", "gpu", "image", "connect", "summary", "no_ssh")
PASSWORD = "hunter2-Sekrit!"
#: Stands in for a check result: the flow only asks whether there is one.
CHECKED = cast(CheckResult, object())


def flow(available: tuple[str, ...] | None = TODAY) -> WizardFlow:
    return WizardFlow(default_catalog(), available=available)


def walk_to_connect(wizard: WizardFlow, platform: str = "autodl") -> None:
    wizard.data.platform_id = platform
    wizard.go_next()
    wizard.data.gpu_model = "RTX 4090"
    wizard.data.price_per_hour = 1.98
    wizard.go_next()
    wizard.data.image_id = "pytorch-2.1-cu121"
    wizard.go_next()


def test_steps_cover_every_step_id_once() -> None:
    assert sorted(step.id.value for step in STEPS) == sorted(step.value for step in StepId)
    assert MAIN_PATH[0] is StepId.PLATFORM and MAIN_PATH[-1] is StepId.SUMMARY


def test_main_path_skips_steps_without_a_page() -> None:
    wizard = flow()
    walk_to_connect(wizard)
    assert wizard.current is StepId.CONNECT
    wizard.data.check_result = CHECKED
    assert wizard.next_step() is StepId.SUMMARY
    assert wizard.go_next() is StepId.SUMMARY
    assert wizard.is_last()
    assert wizard.history == [StepId.PLATFORM, StepId.GPU, StepId.IMAGE, StepId.CONNECT]


def test_key_and_editor_steps_appear_once_registered() -> None:
    wizard = flow(available=None)
    walk_to_connect(wizard)
    wizard.data.check_result = CHECKED
    assert [wizard.go_next(), wizard.go_next(), wizard.go_next()] == [
        StepId.KEY,
        StepId.EDITOR,
        StepId.SUMMARY,
    ]


def test_platform_without_ssh_ends_on_no_ssh() -> None:
    wizard = flow()
    wizard.data.platform_id = "colab"
    assert wizard.go_next() is StepId.NO_SSH
    assert wizard.is_last()
    assert wizard.planned_steps() == [StepId.PLATFORM, StepId.NO_SSH]
    with pytest.raises(InputError) as caught:
        wizard.go_next()
    assert caught.value.code == "wizard.at_end"


@pytest.mark.parametrize("platform", ["colab", "jiutian"])
def test_every_web_notebook_platform_branches(platform: str) -> None:
    wizard = flow()
    wizard.data.platform_id = platform
    assert wizard.next_step() is StepId.NO_SSH


@pytest.mark.parametrize("platform", ["kaggle", "openi"])
def test_a_web_notebook_platform_with_known_gpus_shows_the_estimator_first(platform: str) -> None:
    wizard = flow()
    wizard.data.platform_id = platform
    assert wizard.go_next() is StepId.GPU
    assert wizard.next_step() is StepId.NO_SSH
    assert wizard.planned_steps() == [StepId.PLATFORM, StepId.GPU, StepId.NO_SSH]
    assert wizard.go_next() is StepId.NO_SSH and wizard.is_last()


def test_already_have_an_instance_jumps_to_connect() -> None:
    wizard = flow()
    assert wizard.jump_to_connect() is StepId.CONNECT
    assert wizard.data.have_instance is True
    assert wizard.history == [StepId.PLATFORM]
    assert wizard.planned_steps() == [StepId.PLATFORM, StepId.CONNECT, StepId.SUMMARY]
    assert wizard.go_back() is StepId.PLATFORM


def test_shortcut_forgets_a_platform_without_ssh() -> None:
    wizard = flow()
    wizard.data.platform_id = "kaggle"
    wizard.jump_to_connect()
    assert wizard.data.platform_id is None


def test_shortcut_only_from_the_platform_step() -> None:
    wizard = flow()
    walk_to_connect(wizard)
    with pytest.raises(InputError):
        wizard.jump_to_connect()


def test_back_keeps_choices_and_history() -> None:
    wizard = flow()
    walk_to_connect(wizard)
    assert wizard.go_back() is StepId.IMAGE
    assert wizard.go_back() is StepId.GPU
    assert wizard.data.image_id == "pytorch-2.1-cu121"
    assert wizard.go_next() is StepId.IMAGE
    assert wizard.history == [StepId.PLATFORM, StepId.GPU]


def test_back_at_start_is_an_error() -> None:
    with pytest.raises(InputError) as caught:
        flow().go_back()
    assert caught.value.code == "wizard.at_start"


def test_next_refuses_when_needs_are_missing() -> None:
    wizard = flow()
    with pytest.raises(InputError) as caught:
        wizard.go_next()  # gpu needs platform_id
    assert caught.value.code == "wizard.incomplete"
    assert "platform_id" in caught.value.message
    assert wizard.current is StepId.PLATFORM


def test_summary_needs_a_check_result() -> None:
    wizard = flow()
    walk_to_connect(wizard)
    assert wizard.missing(StepId.SUMMARY) == ["check_result"]
    with pytest.raises(InputError):
        wizard.go_next()


def test_flow_without_the_first_page_is_refused() -> None:
    with pytest.raises(InputError):
        flow(available=("gpu",))


def test_sensitive_keys() -> None:
    assert is_sensitive("password") and is_sensitive("passphrase")
    assert is_sensitive("jupyter_token") and is_sensitive("api_secret")
    assert not is_sensitive("store_in_keyring") and not is_sensitive("platform_id")


def test_repr_never_shows_a_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="gpudesk")
    wizard = flow()
    walk_to_connect(wizard)
    wizard.data.password = PASSWORD
    wizard.data.command = "ssh x"
    text = repr(wizard) + repr(wizard.data)
    assert PASSWORD not in text
    assert "ssh x" in text
    wizard.data.check_result = CHECKED
    wizard.go_next()
    wizard.go_back()
    assert PASSWORD not in caplog.text
    assert "connect" in caplog.text


def test_progress_holds_no_secret_and_no_object(tmp_path: Path) -> None:
    wizard = flow()
    walk_to_connect(wizard)
    wizard.data.password = PASSWORD
    wizard.data.store_in_keyring = True
    wizard.data.command = "ssh -p 10309 root@connect.nmb1.seetacloud.com"
    wizard.data.check_result = CHECKED
    wizard.data.model_size_b = float("nan")
    path = tmp_path / "state.json"
    save_progress(wizard, path)
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text
    saved = json.loads(text)[STATE_KEY]
    assert saved["current"] == "connect"
    assert saved["history"] == ["platform", "gpu", "image"]
    assert set(saved["data"]) == {
        "platform_id",
        "gpu_model",
        "price_per_hour",
        "image_id",
        "store_in_keyring",
        "command",
        "have_instance",
        "use_account",
    }


def test_resume_at_the_same_step_with_the_same_choices(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    save_state({"other": {"kept": 1}}, path)
    wizard = flow()
    walk_to_connect(wizard)
    wizard.data.password = PASSWORD
    save_progress(wizard, path)
    again = flow()
    assert load_progress(again, path)
    assert again.current is StepId.CONNECT
    assert again.history == [StepId.PLATFORM, StepId.GPU, StepId.IMAGE]
    assert again.data.gpu_model == "RTX 4090"
    assert again.data.password is None
    assert load_state(path)["other"] == {"kept": 1}


def test_resume_falls_back_to_connect_without_the_check_result(tmp_path: Path) -> None:
    wizard = flow()
    walk_to_connect(wizard)
    wizard.data.check_result = CHECKED
    wizard.go_next()
    save_progress(wizard, tmp_path / "state.json")
    again = flow()
    assert load_progress(again, tmp_path / "state.json")
    assert again.current is StepId.CONNECT
    assert again.history == [StepId.PLATFORM, StepId.GPU, StepId.IMAGE]


def test_resume_skips_a_page_that_is_gone(tmp_path: Path) -> None:
    wizard = flow(available=None)
    walk_to_connect(wizard)
    wizard.data.check_result = CHECKED
    wizard.go_next()
    assert wizard.current is StepId.KEY
    progress = wizard.to_progress()
    progress["data"]["check_result"] = {"stand-in": True}
    again = flow()  # no key page today
    assert again.restore(progress)
    assert again.current is StepId.CONNECT


def test_resume_drops_a_platform_no_longer_in_the_catalog() -> None:
    wizard = flow()
    progress = {
        "version": 1,
        "current": "platform",
        "history": [],
        "data": {"platform_id": "gone", "password": PASSWORD},
    }
    assert wizard.restore(progress)
    assert wizard.data == WizardData()


@pytest.mark.parametrize(
    "progress",
    [
        None,
        [],
        {"version": 99, "current": "gpu", "history": [], "data": {}},
        {"version": 1, "current": "warp", "history": [], "data": {}},
        {"version": 1, "current": "gpu", "history": "platform", "data": {}},
        {"version": 1, "current": "gpu", "history": [], "data": []},
    ],
)
def test_unusable_progress_starts_fresh(progress: object) -> None:
    wizard = flow()
    wizard.data.gpu_model = "A10"
    assert not wizard.restore(progress)
    assert wizard.current is StepId.PLATFORM and wizard.data == WizardData()


def test_clear_progress_keeps_other_state() -> None:
    save_state({"other": 1})
    wizard = flow()
    save_progress(wizard)
    assert STATE_KEY in load_state()
    clear_progress()
    assert load_state() == {"other": 1}
    assert state_path().is_file()
    clear_progress()  # nothing to clear is fine


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["next", "back", "shortcut", "colab", "autodl", "gpu", "image", "check"]),
        max_size=25,
    )
)
def test_random_walks_keep_the_invariants(moves: list[str]) -> None:
    wizard = flow(available=None)
    for move in moves:
        try:
            if move == "next":
                wizard.go_next()
            elif move == "back":
                wizard.go_back()
            elif move == "shortcut":
                wizard.jump_to_connect()
            elif move in ("colab", "autodl"):
                wizard.data.platform_id = move
            elif move == "gpu":
                wizard.data.gpu_model = "A10"
            elif move == "image":
                wizard.data.image_id = "x"
            else:
                wizard.data.check_result = CHECKED
        except InputError:
            pass
        assert wizard.planned_steps()[: len(wizard.history) + 1] == [
            *wizard.history,
            wizard.current,
        ]
        assert wizard.current not in wizard.history
        assert not wizard.missing(wizard.current) or wizard.current is StepId.PLATFORM
        again = flow(available=None)
        again.restore(wizard.to_progress())
        assert len(again.history) <= len(wizard.history)


def test_every_step_declares_only_data_fields_and_the_flow_books_writes_per_step() -> None:
    names = {f.name for f in dataclasses.fields(WizardData) if f.init}
    for step in STEPS:
        assert step.needs <= names and step.produces <= names
    wizard = flow()
    wizard.data.platform_id = "autodl"
    wizard.data.alias = "not-the-platform-steps"  # written while the platform step shows
    wizard.go_next()
    assert wizard.writes[StepId.PLATFORM] == {"platform_id", "alias"}
    assert wizard.undeclared == [(StepId.PLATFORM, "alias")]


def test_saved_progress_survives_a_round_trip_and_drops_wrong_types() -> None:
    data = WizardData(platform_id="autodl", model_size_b=7.0, have_instance=True)
    data.editor = EditorChoice(sftp_folder="/tmp/p")
    saved = json.loads(json.dumps(data.saved_fields()))
    again = WizardData()
    again.restore_fields({**saved, "gpu_model": 4090, "price_per_hour": "cheap", "nope": 1})
    assert again == data
    assert again.gpu_model is None and again.price_per_hour is None
