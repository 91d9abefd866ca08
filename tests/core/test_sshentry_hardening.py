"""The gpudesk Host entry against a user's own config, judged by the real ``ssh -G``.

``ssh -G -F <config> <alias>`` prints what OpenSSH would do; nothing here connects.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.sshentry import config_path_value
from gpudesk.core.errors import InputError
from tests.core.test_sshconfig import MANAGED, assert_managed, entry, needs_ssh, ssh_g

USER_DEFAULTS = "Host *\n    ForwardAgent yes\n    ForwardX11 yes\n    ForwardX11Trusted yes\n"


@needs_ssh
def test_the_entry_never_forwards_the_agent_or_x11_even_when_host_star_says_yes(
    tmp_path: Path,
) -> None:
    config = SshConfig(tmp_path / "home" / ".ssh" / "config", tmp_path / "gpudesk" / "hosts")
    config.config_path.parent.mkdir(parents=True)
    config.config_path.write_text(USER_DEFAULTS)
    config.write(entry(tmp_path))
    resolved = ssh_g(config.config_path, MANAGED)
    assert resolved["forwardagent"] == ["no"]
    assert resolved["forwardx11"] == ["no"]
    assert resolved["forwardx11trusted"] == ["no"]
    # The user's own hosts keep their defaults.
    assert ssh_g(config.config_path, "elsewhere")["forwardagent"] == ["yes"]


@needs_ssh
def test_a_single_quote_in_the_home_path_is_quoted_not_refused(tmp_path: Path) -> None:
    """O'Brien's home: keys, known_hosts and the Include all resolve as written."""
    home = tmp_path / "Users" / "O'Brien"
    config = SshConfig(home / ".ssh" / "config", home / ".gpudesk" / "ssh hosts")
    e = entry(
        home,
        identity_file=str(home / ".ssh" / "id_gpu"),
        known_hosts_file=str(home / ".gpudesk" / "known_hosts"),
    )
    config.write(e)
    assert_managed(config, e)


@pytest.mark.parametrize("bad", ['/home/a"b/id', "/home/a\\b/id", "/home/%u/id", "/home/$X/id"])
def test_what_openssh_cannot_take_even_quoted_is_still_refused(bad: str) -> None:
    with pytest.raises(InputError):
        config_path_value(bad, windows=False)
