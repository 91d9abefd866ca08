"""The Files view driven like a user would, against a REAL sshd (transfers on worker threads)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from gpudesk.core.ssh.remote import Connection
from gpudesk.ui.files import FilesView
from tests.integration import transfer_helpers
from tests.integration.transfer_helpers import BIG, MIB, login, make_tree, tree_hashes
from tests.testbed.sshd import SshdServer, TestUser
from tests.ui.test_i18n import chinese  # noqa: F401 - fixture

pytestmark = pytest.mark.sshd
remote_dir = transfer_helpers.remote_dir
WAIT_MS = 60_000


@pytest.fixture
def view(qtbot: QtBot, sshd: SshdServer, remote_dir: Path) -> Iterator[FilesView]:
    """A Files view of the test sshd; each transfer logs in afresh (owns its connection)."""

    def connect() -> Connection:
        return login(sshd)

    made = FilesView(connect, "files-view-test", str(remote_dir))
    qtbot.addWidget(made)
    made.show()
    yield made
    if made.task is not None:
        made.task.cancel()
        made.task.wait(30)


def test_push_conflict_save_beside_and_pull(
    qtbot: QtBot, view: FilesView, remote_dir: Path, tmp_path: Path, test_user: TestUser
) -> None:
    src = make_tree(tmp_path / "proj", big_mib=2)
    with qtbot.waitSignal(view.transfer_finished, timeout=WAIT_MS) as sent:
        view.push_paths([str(src)])
    assert sent.args[0].files_sent == 6
    assert view.status_label.text().startswith("Done: 6 files sent")
    assert view.progress_bar.value() == 1000
    assert (remote_dir / "proj/README.md").read_bytes() == b"# project\n"
    # Changed on both sides: listed, not overwritten; then saved beside on request.
    test_user.write_file("xfer/proj/README.md", b"theirs\n", mode=0o644)
    (src / "README.md").write_bytes(b"mine\n")
    with qtbot.waitSignal(view.transfer_finished, timeout=WAIT_MS):
        view.push_paths([str(src)])
    assert view.conflicts_box.isVisibleTo(view)
    assert [view.conflict_list.item(i).text() for i in range(view.conflict_list.count())] == [
        "README.md"
    ]
    assert (remote_dir / "proj/README.md").read_bytes() == b"theirs\n"
    with qtbot.waitSignal(view.transfer_finished, timeout=WAIT_MS) as beside:
        view.save_beside_button.click()
    saved = beside.args[0].saved_beside
    assert len(saved) == 1 and (remote_dir / "proj" / saved[0]).read_bytes() == b"mine\n"
    # The listing shows the remote folder; pick the project and fetch it.
    view.refresh()
    qtbot.waitUntil(lambda: view.remote_list.count() > 0, timeout=WAIT_MS)
    names = [view.remote_list.item(i).text() for i in range(view.remote_list.count())]
    assert "proj/" in names
    view.remote_list.item(names.index("proj/")).setSelected(True)
    target = tmp_path / "fetched"
    with qtbot.waitSignal(view.transfer_finished, timeout=WAIT_MS):
        view.pull_paths(view.selected_remote_paths(), str(target))
    assert tree_hashes(target / "proj") == tree_hashes(remote_dir / "proj")


def test_cancel_stops_and_the_next_run_resumes(
    qtbot: QtBot, view: FilesView, remote_dir: Path, tmp_path: Path
) -> None:
    src = make_tree(tmp_path / "proj")
    part = remote_dir / "proj/weights/.model 大.bin.gpudesk-part"
    with qtbot.waitSignal(view.transfer_finished, timeout=WAIT_MS) as stopped:
        view.push_paths([str(src)])
        qtbot.waitUntil(lambda: view.task is not None, timeout=WAIT_MS)
        watcher = transfer_helpers.when_part_grows(part, 8 * MIB, view.task.cancel)  # type: ignore[union-attr]
    watcher.join()
    assert stopped.args[0].cancelled
    assert "resume" in view.status_label.text()
    assert not (remote_dir / "proj" / BIG).exists()
    with qtbot.waitSignal(view.transfer_finished, timeout=WAIT_MS) as resumed:
        view.push_paths([str(src)])
    assert resumed.args[0].bytes_sent < (src / BIG).stat().st_size
    assert (remote_dir / "proj" / BIG).read_bytes() == (src / BIG).read_bytes()


def test_errors_are_shown_not_raised(qtbot: QtBot, view: FilesView, tmp_path: Path) -> None:
    view.pull_paths(["no-such-folder"], str(tmp_path))
    qtbot.waitUntil(lambda: "does not exist" in view.status_label.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: view.task is None, timeout=WAIT_MS)
    assert not view.cancel_button.isEnabled()


@pytest.mark.usefixtures("chinese")
def test_the_view_speaks_chinese(qtbot: QtBot, view: FilesView, tmp_path: Path) -> None:
    fresh = FilesView(view.login, "x", None)
    qtbot.addWidget(fresh)
    assert fresh.cancel_button.text() == "取消"
    assert fresh.fetch_button.text() != "Fetch selected to…"
    fresh.pull_paths(["no-such-folder"], str(tmp_path))
    qtbot.waitUntil(lambda: "不存在" in fresh.status_label.text(), timeout=WAIT_MS)
    assert QCoreApplication.translate("FilesView", "%1 s left") != "%1 s left"
