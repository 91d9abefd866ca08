"""`gpudesk create autodl ...` and `gpudesk release autodl:ID --yes` (AutoDL Pro).

``create`` prints the new instance's id (and with ``--wait`` its endpoint once running);
``--wait-for-gpu MINUTES`` retries a create refused for lack of GPUs. ``release`` deletes a
powered-off instance and ALL its data: it needs ``--yes`` and refuses a running instance.
"""

from __future__ import annotations

import argparse
from typing import Any

from gpudesk.commands.common import add_json_and_handler, print_json
from gpudesk.commands.provideroutput import (
    add_gpu_wait_argument,
    connected_provider,
    endpoint_json,
    event_printer,
    gpu_wait_seconds,
)
from gpudesk.core.errors import ExitCode, InputError
from gpudesk.core.providers.accounts import parse_ref
from gpudesk.core.providers.autodl import AutoDLProvider
from gpudesk.core.providers.model import SETTLED_OFF, CreateRequest
from gpudesk.core.providers.poweron import retry_while_no_stock, wait_until_running


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``create`` and ``release``."""
    create = subparsers.add_parser("create", help="create an AutoDL Pro instance")
    create.add_argument("provider", choices=["autodl"])
    create.add_argument("--gpu", required=True, metavar="SPEC", help="gpu_spec_uuid, e.g. v-48g")
    create.add_argument("--gpus", type=int, default=1, metavar="N", help="1 to 4 (default 1)")
    create.add_argument("--image", required=True, metavar="IMAGE_UUID")
    create.add_argument(
        "--cuda",
        required=True,
        type=int,
        metavar="118",
        help="lowest CUDA the driver must support (118 = 11.8)",
    )
    create.add_argument("--name", default="", metavar="NAME")
    create.add_argument("--data-center", action="append", default=[], metavar="DC")
    create.add_argument("--wait", action="store_true", help="wait until it runs")
    add_gpu_wait_argument(create)
    add_json_and_handler(create, run_create)
    release = subparsers.add_parser("release", help="delete a powered-off instance and its data")
    release.add_argument("target", metavar="autodl:ID")
    release.add_argument("--yes", action="store_true", help="yes, delete it and all its data")
    add_json_and_handler(release, run_release)


def run_create(args: argparse.Namespace) -> int:
    """Create the instance; with --wait, wait for it and print its endpoint."""
    if not 1 <= args.gpus <= 4 or not 0 < args.cuda < 1000:
        raise InputError(
            "provider.bad_create",
            "--gpus takes 1 to 4 and --cuda a version such as 118 (CUDA 11.8).",
            "For example: gpudesk create autodl --gpu v-48g --image IMAGE --cuda 118.",
        )
    provider = _autodl(connected_provider("autodl"))
    request = CreateRequest(
        gpu_spec=args.gpu,
        image=args.image,
        cuda_from=args.cuda,
        gpu_count=args.gpus,
        name=args.name,
        data_centers=tuple(args.data_center),
    )
    show = event_printer(args.json)
    wait_s = gpu_wait_seconds(args)
    new_id, _attempts = retry_while_no_stock(
        lambda: provider.create(request),
        wait_for_gpu_s=wait_s,
        on_event=show,
    )
    result: dict[str, Any] = {"provider": "autodl", "id": new_id, "endpoint": None}
    if args.wait:
        wait_until_running(provider, new_id, on_event=show)
        result["endpoint"] = endpoint_json(provider.endpoint(new_id))
    if args.json:
        print_json(result)
    else:
        print(f"autodl:{new_id}")
        if result["endpoint"]:
            print(f"  {result['endpoint']['ssh_command']}")
    return ExitCode.OK


def run_release(args: argparse.Namespace) -> int:
    """Delete a powered-off instance after the explicit --yes."""
    ref = parse_ref(args.target)
    if ref is None or ref[0] != "autodl":
        raise InputError(
            "provider.bad_ref",
            f"{args.target[:120]!r} is not autodl:ID.",
            "Write it as autodl:INSTANCE_ID (see gpudesk instances).",
        )
    if not args.yes:
        raise InputError(
            "provider.release_unconfirmed",
            f"Releasing {args.target} deletes the instance and ALL data on it.",
            "Add --yes if that is what you want.",
        )
    provider = _autodl(connected_provider("autodl"))
    status = provider.status(ref[1])
    if status not in SETTLED_OFF:
        raise InputError(
            "provider.release_running",
            f"{args.target} is {status}; only a powered-off instance can be released.",
            f"Power it off first: gpudesk power-off {args.target}.",
        )
    provider.release(ref[1])
    if args.json:
        print_json({"provider": "autodl", "id": ref[1], "released": True})
    else:
        print(f"Released {args.target}.")
    return ExitCode.OK


def _autodl(provider: object) -> AutoDLProvider:
    if not isinstance(provider, AutoDLProvider):  # pragma: no cover - open_provider's contract
        raise InputError(
            "provider.unsupported",
            "Only AutoDL instances can be created here.",
            "Give autodl as the platform: gpudesk create autodl ...",
        )
    return provider
