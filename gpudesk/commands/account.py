"""`gpudesk account add|list|remove`: connect a platform account (its token in the keyring).

``account add autodl --token-stdin`` checks the token with the balance call BEFORE it is
stored: a rejected token exits 3 and stores nothing. 潞晨云 logs in with ``--username`` and
the password on stdin. The token is read from stdin only (never argv), kept only in the
system keyring, and never printed.
"""

from __future__ import annotations

import argparse
import sys

from gpudesk.commands.common import add_json_and_handler, print_json
from gpudesk.commands.provideroutput import provider_name
from gpudesk.core.errors import ExitCode, InputError
from gpudesk.core.providers.accounts import (
    PROVIDER_NAMES,
    AccountBook,
    connect_account,
    token_name,
)
from gpudesk.core.store.secrets import open_secret_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``account`` with ``add``, ``list`` and ``remove``."""
    parser = subparsers.add_parser("account", help="connect a platform account (AutoDL, 潞晨云)")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="check a token and keep it in the keyring")
    add.add_argument("provider", choices=list(PROVIDER_NAMES))
    add.add_argument(
        "--token-stdin",
        action="store_true",
        required=True,
        help="read the token (潞晨云: the password) from standard input",
    )
    add.add_argument("--username", metavar="NAME", help="潞晨云's user name")
    add_json_and_handler(add, run_add)
    listing = actions.add_parser("list", help="the connected accounts")
    add_json_and_handler(listing, run_list)
    remove = actions.add_parser("remove", help="forget an account and its token")
    remove.add_argument("provider", choices=list(PROVIDER_NAMES))
    add_json_and_handler(remove, run_remove)


def run_add(args: argparse.Namespace) -> int:
    """Check the token against the platform, then store it."""
    token = sys.stdin.readline().strip()
    if not token:
        raise InputError(
            "provider.empty_token",
            "--token-stdin was given but standard input held no token.",
            "Pipe the token in, e.g.: printf '%s\\n' \"$TOKEN\" | gpudesk account add autodl "
            "--token-stdin",
        )
    secrets, _warning = open_secret_store()
    checked = connect_account(args.provider, token, secrets, username=args.username)
    balance = checked.available if checked is not None else None
    if args.json:
        print_json({"provider": args.provider, "connected": True, "balance": balance})
    else:
        shown = f" (balance ¥{balance:.2f})" if balance is not None else ""
        print(f"Connected the {provider_name(args.provider)} account{shown}.")
    return ExitCode.OK


def run_list(args: argparse.Namespace) -> int:
    """The connected accounts (whether their token is in the keyring; never the token)."""
    secrets, _warning = open_secret_store()
    rows = []
    for account in AccountBook().accounts():
        saved = secrets.get(token_name(account.provider)) is not None
        rows.append(
            {
                "provider": account.provider,
                "name": provider_name(account.provider),
                "username": account.username,
                "added_at": account.added_at,
                "token_saved": saved,
            }
        )
    if args.json:
        print_json(rows)
    elif not rows:
        print("No platform account is connected (gpudesk account add autodl --token-stdin).")
    for row in rows if not args.json else []:
        state = "token in the keyring" if row["token_saved"] else "TOKEN MISSING: add it again"
        print(f"{row['provider']:<8} {row['name']:<8} since {row['added_at']}  {state}")
    return ExitCode.OK


def run_remove(args: argparse.Namespace) -> int:
    """Forget the account's record, its links and its token."""
    secrets, _warning = open_secret_store()
    removed = AccountBook().remove_account(args.provider)
    secrets.delete(token_name(args.provider))
    if args.json:
        print_json({"provider": args.provider, "removed": removed})
    else:
        verb = "Removed" if removed else "There was no"
        print(f"{verb} {provider_name(args.provider)} account.")
    return ExitCode.OK
