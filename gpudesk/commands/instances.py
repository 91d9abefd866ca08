"""`gpudesk instances` and `gpudesk balance`: what the connected platform accounts hold.

``instances --json`` prints a list of objects with ``provider``, ``id``, ``name``, ``status``,
``gpu``, ``gpu_count``, ``price_per_hour`` (yuan), ``region``, ``started_at``, ``stopped_at``
and ``alias`` (the saved gpudesk alias, or null). ``balance --json`` prints one object per
account with ``balance`` in yuan (null where the platform's API offers none).
"""

from __future__ import annotations

import argparse
from typing import Any

from gpudesk.commands.common import add_json_and_handler, print_json
from gpudesk.commands.provideroutput import connected_provider, instance_json, provider_name
from gpudesk.core.errors import ExitCode, GpuDeskError
from gpudesk.core.providers.accounts import AccountBook
from gpudesk.core.store.instances import InstanceStore

AUTODL_SCOPE_NOTE = (
    "AutoDL's official API controls Pro instances only; ordinary instances stay on the "
    "pasted-command path."
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``instances`` and ``balance``."""
    parser = subparsers.add_parser("instances", help="the instances of your platform accounts")
    add_json_and_handler(parser, run_instances)
    balance = subparsers.add_parser("balance", help="the balance of your platform accounts")
    add_json_and_handler(balance, run_balance)


def run_instances(args: argparse.Namespace) -> int:
    """List every connected account's instances, with the saved alias of each."""
    book, store = AccountBook(), InstanceStore()
    rows: list[dict[str, Any]] = []
    for account in book.accounts():
        provider = connected_provider(account.provider, book)
        for instance in provider.list_instances():
            saved = book.linked_instance(instance.provider, instance.id, store)
            rows.append(instance_json(instance, saved.alias if saved else None))
    if args.json:
        print_json(rows)
        return ExitCode.OK
    if not book.accounts():
        print("No platform account is connected (gpudesk account add autodl --token-stdin).")
    for row in rows:
        price = f"¥{row['price_per_hour']:.2f}/h" if row["price_per_hour"] is not None else "-"
        gpu = f"{row['gpu_count']}× {row['gpu']}" if row["gpu"] else "-"
        print(
            f"{row['provider']}:{row['id']:<18} {row['status']:<10} {gpu:<16} {price:<10} "
            f"{row['name'] or '-':<16} {row['alias'] or ''}"
        )
    if any(a.provider == "autodl" for a in book.accounts()):
        print(AUTODL_SCOPE_NOTE)
    return ExitCode.OK


def run_balance(args: argparse.Namespace) -> int:
    """Each connected account's balance in yuan."""
    book = AccountBook()
    rows: list[dict[str, Any]] = []
    for account in book.accounts():
        provider = connected_provider(account.provider, book)
        try:
            balance = provider.balance()
        except GpuDeskError as error:
            if error.code != "provider.unsupported":
                raise
            rows.append({"provider": account.provider, "balance": None, "note": error.message})
            continue
        rows.append(
            {
                "provider": account.provider,
                "balance": balance.available,
                "voucher": balance.voucher,
                "accumulated_spend": balance.accumulated_spend,
            }
        )
    if args.json:
        print_json(rows)
        return ExitCode.OK
    for row in rows:
        shown = f"¥{row['balance']:.2f}" if row["balance"] is not None else row.get("note", "-")
        print(f"{provider_name(row['provider'])}: {shown}")
    return ExitCode.OK
