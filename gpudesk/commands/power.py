"""`gpudesk power-on` and `gpudesk power-off`: drive an instance through its platform's API.

``power-on ALIAS|autodl:ID [--wait] [--wait-for-gpu MINUTES] [--accept-new-host-key]
[--json]``: a power-on refused for lack of GPUs (暂无库存) is retried with backoff and a
countdown while ``--wait-for-gpu`` lasts. With ``--wait`` (implied for a saved ALIAS) it waits
for ``running``, re-reads the endpoint and re-points the saved alias there: the ssh config,
the tunnels and the monitor follow; the new host key is first contact (asked, or
``--accept-new-host-key``). Progress goes to stderr; stdout holds the result.
"""

from __future__ import annotations

import argparse
from typing import Any

from gpudesk.commands.common import (
    add_accept_new_host_key,
    add_json_and_handler,
    host_key_confirmer,
    print_json,
)
from gpudesk.commands.provideroutput import (
    add_gpu_wait_argument,
    connected_provider,
    endpoint_json,
    event_printer,
    gpu_wait_seconds,
)
from gpudesk.core.errors import ExitCode
from gpudesk.core.providers.accounts import AccountBook
from gpudesk.core.providers.follow import follow_instance
from gpudesk.core.providers.instanceref import ResolvedInstance, resolve_instance
from gpudesk.core.providers.model import Provider
from gpudesk.core.providers.poweron import power_on_when_free, wait_until_running
from gpudesk.core.store.secrets import open_secret_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``power-on`` and ``power-off``."""
    on = subparsers.add_parser("power-on", help="start an instance through its platform's API")
    on.add_argument("target", metavar="ALIAS|autodl:ID")
    on.add_argument(
        "--wait",
        action="store_true",
        help="wait until it runs and re-point its alias (always for an ALIAS)",
    )
    add_gpu_wait_argument(on)
    add_accept_new_host_key(
        on, "trust the host key of the machine it lands on (never a changed one)"
    )
    add_json_and_handler(on, run_power_on)
    off = subparsers.add_parser("power-off", help="stop an instance (GPU billing stops)")
    off.add_argument("target", metavar="ALIAS|autodl:ID")
    add_json_and_handler(off, run_power_off)


def run_power_on(args: argparse.Namespace) -> int:
    """Power on, wait for a GPU if asked, then (with --wait or an alias) follow the instance."""
    wait_s = gpu_wait_seconds(args)
    book, resolved, provider = _named_instance(args.target)
    show = event_printer(args.json)
    attempts = power_on_when_free(
        provider,
        resolved.instance_id,
        wait_for_gpu_s=wait_s,
        on_event=show,
    )
    result: dict[str, Any] = {
        **_identity(resolved),
        "attempts": attempts,
        "status": provider.status(resolved.instance_id),
        "endpoint": None,
        "repointed": None,
    }
    if args.wait or resolved.saved is not None:
        wait_until_running(provider, resolved.instance_id, on_event=show)
        secrets, _warning = open_secret_store()
        followed = follow_instance(
            provider,
            resolved.instance_id,
            resolved.saved.alias if resolved.saved else None,
            confirm_new_host_key=host_key_confirmer(args.accept_new_host_key),
            secrets=secrets,
            platform_id=resolved.provider_id,
        )
        result["status"] = "running"
        result["endpoint"] = endpoint_json(followed.endpoint)
        if followed.repointed is not None:
            done = followed.repointed
            book.link(
                resolved.provider_id,
                resolved.instance_id,
                done.instance.alias,
                done.instance.host_key_alias,
            )
            result["repointed"] = {
                "alias": done.instance.alias,
                "moved": done.moved,
                "new_host_key": done.new_host_key,
                "fingerprint": done.fingerprint,
                "key_installed": done.key_installed,
            }
    _print_result(result, args.json)
    return ExitCode.OK


def run_power_off(args: argparse.Namespace) -> int:
    """Ask the platform to stop the instance."""
    _book, resolved, provider = _named_instance(args.target)
    provider.power_off(resolved.instance_id)
    result = {**_identity(resolved), "status": provider.status(resolved.instance_id)}
    if args.json:
        print_json(result)
    else:
        print(f"Power-off requested for {resolved.ref} (now {result['status']}).")
    return ExitCode.OK


def _named_instance(target: str) -> tuple[AccountBook, ResolvedInstance, Provider]:
    """The account book, the instance ``ALIAS`` or ``autodl:ID`` names, and its provider."""
    book = AccountBook()
    resolved = resolve_instance(target, book=book)
    return book, resolved, connected_provider(resolved.provider_id, book)


def _identity(resolved: ResolvedInstance) -> dict[str, Any]:
    """The keys every power result starts with: provider, id and the saved alias (or None)."""
    return {
        "provider": resolved.provider_id,
        "id": resolved.instance_id,
        "alias": resolved.saved.alias if resolved.saved else None,
    }


def _print_result(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(result)
        return
    ref = f"{result['provider']}:{result['id']}"
    print(f"{ref} is {result['status']}.")
    if result["endpoint"]:
        print(f"  {result['endpoint']['ssh_command']}")
    done = result["repointed"]
    if done:
        moved = "moved; re-pointed" if done["moved"] else "same address"
        print(f"  ssh {done['alias']} ({moved}; host key {done['fingerprint']})")
