"""What the platform-account commands share: opening an account, printing progress and rows.

Not a subcommand. Progress of a power-on goes to stderr (text, with a countdown while
waiting for a GPU; one JSON object per line with ``--json``), so standard output holds only
the result.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from gpudesk.core.errors import InputError
from gpudesk.core.providers.accounts import PROVIDER_NAMES, AccountBook, open_provider
from gpudesk.core.providers.model import Endpoint, Provider, ProviderInstance
from gpudesk.core.providers.poweron import EventSink, PowerEvent
from gpudesk.core.store.secrets import open_secret_store


def connected_provider(provider_id: str, book: AccountBook | None = None) -> Provider:
    """The provider of a connected account (its token from the keyring)."""
    secrets, _warning = open_secret_store()
    return open_provider(provider_id, secrets, book)


MAX_WAIT_MINUTES = 24 * 60


def add_gpu_wait_argument(parser: argparse.ArgumentParser) -> None:
    """``--wait-for-gpu MINUTES`` (power-on and create)."""
    parser.add_argument(
        "--wait-for-gpu",
        type=float,
        metavar="MINUTES",
        help="when no GPU is free, keep trying this long",
    )


def gpu_wait_seconds(args: argparse.Namespace) -> float | None:
    """``--wait-for-gpu`` in seconds (None when not given); out of range is bad input."""
    minutes: float | None = args.wait_for_gpu
    if minutes is None:
        return None
    if not 0 < minutes <= MAX_WAIT_MINUTES:
        raise InputError(
            "provider.bad_wait",
            f"--wait-for-gpu takes 0 to {MAX_WAIT_MINUTES} minutes.",
            "For example --wait-for-gpu 30.",
        )
    return minutes * 60


def event_printer(as_json: bool) -> EventSink:
    """Print power-on progress on stderr: text (a countdown line) or JSON lines."""

    def show(event: PowerEvent) -> None:
        if as_json:
            print(json.dumps(event.to_json(), ensure_ascii=False), file=sys.stderr, flush=True)
            return
        if event.kind == "countdown":
            left = _minutes(event.remaining_s)
            print(
                f"\r  next try in {event.retry_in_s:.0f} s ({left} left)   ",
                end="",
                file=sys.stderr,
                flush=True,
            )
            return
        if event.kind == "no_stock":
            print(f"\n… try {event.attempt}: {event.detail}", file=sys.stderr, flush=True)
            return
        print(
            f"\n… {event.detail}" if event.kind != "status" else f"… {event.detail}",
            file=sys.stderr,
            flush=True,
        )

    return show


def instance_json(instance: ProviderInstance, alias: str | None) -> dict[str, Any]:
    """One row of ``gpudesk instances --json``."""
    return {
        "provider": instance.provider,
        "id": instance.id,
        "name": instance.name,
        "status": instance.status,
        "gpu": instance.gpu,
        "gpu_count": instance.gpu_count,
        "price_per_hour": instance.price_per_hour,
        "region": instance.region,
        "started_at": instance.started_at,
        "stopped_at": instance.stopped_at,
        "alias": alias,
    }


def endpoint_json(endpoint: Endpoint) -> dict[str, Any]:
    """The endpoint without its password (that is never printed)."""
    return {
        "host": endpoint.host,
        "port": endpoint.port,
        "user": endpoint.user,
        "ssh_command": f"ssh -p {endpoint.port} {endpoint.user}@{endpoint.host}",
        "jupyter_url": endpoint.jupyter_url,
    }


def provider_name(provider_id: str) -> str:
    """``AutoDL`` for ``autodl``."""
    return PROVIDER_NAMES.get(provider_id, provider_id)


def _minutes(seconds: float | None) -> str:
    total = max(0, int(seconds or 0))
    return f"{total // 60}:{total % 60:02d}"
