"""Custom tunnels added by hand ("Add port"): their names, unique within the instance.

A custom tunnel is named after the remote port it reaches (``Port 7860``); a second one to
the same port gets a number (``Port 7860 (2)``). The GUI passes a translated namer; the
engine's default is English.
"""

from __future__ import annotations

from collections.abc import Callable

from gpudesk.core.tunnels.savedtunnels import SavedTunnel, TunnelBook

#: Names a new custom tunnel: ``namer(remote_port, number)``, number 1 for the first.
TunnelNamer = Callable[[int, int], str]


def english_tunnel_name(remote_port: int, number: int) -> str:
    """``Port 7860``, then ``Port 7860 (2)``, ..."""
    return f"Port {remote_port}" if number == 1 else f"Port {remote_port} ({number})"


def new_custom_tunnel(
    book: TunnelBook, alias: str, local_port: int, remote_port: int, namer: TunnelNamer
) -> SavedTunnel:
    """A custom tunnel of ``alias`` with the first name ``namer`` gives that is not taken.

    Raises:
        InputError: Unusable ports (``tunnel.bad_spec``).
    """
    taken = {entry.saved.name for entry in book.of_instance(alias)}
    number = 1
    while (name := namer(remote_port, number)) in taken:
        number += 1
    return SavedTunnel(name, local_port, remote_port, kind="custom")
