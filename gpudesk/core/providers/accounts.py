"""Connected platform accounts, and which saved instance is which platform instance.

The token (AutoDL's developer token; 潞晨云's password) lives only in the keyring, as
``api-token:<provider id>``. ``accounts.json`` in gpudesk's config dir holds what is not
secret: which providers are connected (潞晨云's user name too) and the links between a
saved instance (by its stable ``host_key_alias``, and its alias) and a platform instance::

    {"version": 1,
     "accounts": [{"provider": "autodl", "added_at": "..."}],
     "links": [{"provider": "autodl", "instance_id": "pro-…", "alias": "autodl-4090",
                "host_key_alias": "gpudesk-…"}]}

:func:`open_provider` builds the :class:`~gpudesk.core.providers.model.Provider` of a
connected account; :func:`parse_ref` reads ``autodl:ID``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from gpudesk.core import paths
from gpudesk.core.errors import FileWriteError, InputError, SecretStoreError
from gpudesk.core.providers.autodl import AutoDLProvider
from gpudesk.core.providers.luchen import LuchenProvider
from gpudesk.core.providers.model import Provider
from gpudesk.core.store.atomicfile import locked, write_json_atomically
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.store.secrets import SecretStore, secret_name

ACCOUNTS_VERSION = 1
#: Provider ids and their names, in the order they are shown.
PROVIDER_NAMES: dict[str, str] = {"autodl": "AutoDL", "luchen": "潞晨云"}


@dataclass(frozen=True)
class Account:
    """A connected account (no secret: the token is in the keyring)."""

    provider: str
    added_at: str
    username: str | None = None


@dataclass(frozen=True)
class Link:
    """A saved instance that is a platform instance."""

    provider: str
    instance_id: str
    alias: str
    host_key_alias: str | None = None

    @property
    def ref(self) -> str:
        """``provider:instance id``."""
        return f"{self.provider}:{self.instance_id}"


def check_provider_id(provider: str) -> str:
    """``provider`` when gpudesk knows it, else ``provider.unknown`` (InputError)."""
    if provider not in PROVIDER_NAMES:
        raise InputError(
            "provider.unknown",
            f"gpudesk does not know the platform {provider[:40]!r}.",
            "Use one of: " + ", ".join(PROVIDER_NAMES) + ".",
        )
    return provider


def parse_ref(text: str) -> tuple[str, str] | None:
    """``("autodl", "pro-…")`` for ``autodl:pro-…``; None when ``text`` is not such a ref."""
    provider, sep, instance_id = text.partition(":")
    if not sep or provider not in PROVIDER_NAMES:
        return None
    if not instance_id or len(instance_id) > 100 or not instance_id.isprintable():
        raise InputError(
            "provider.bad_ref",
            f"{text[:120]!r} does not name an instance.",
            "Write it as autodl:INSTANCE_ID (see gpudesk instances).",
        )
    return provider, instance_id


class AccountBook:
    """``accounts.json``: connected accounts and instance links (read on every call).

    Args:
        path: The file; default ``paths.config_dir()/accounts.json``.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.config_dir() / "accounts.json"

    def accounts(self) -> list[Account]:
        """The connected accounts."""
        return [
            Account(str(a["provider"]), str(a.get("added_at", "")), _opt(a.get("username")))
            for a in self._read()["accounts"]
        ]

    def account(self, provider: str) -> Account | None:
        """The connected account of ``provider``, or None."""
        return next((a for a in self.accounts() if a.provider == provider), None)

    def links(self) -> list[Link]:
        """Every link between a saved instance and a platform instance."""
        return [
            Link(x["provider"], x["instance_id"], x["alias"], _opt(x.get("host_key_alias")))
            for x in self._read()["links"]
        ]

    def add_account(self, provider: str, username: str | None = None) -> None:
        """Record ``provider`` as connected (replacing an earlier record)."""
        item: dict[str, Any] = {"provider": check_provider_id(provider), "added_at": _now()}
        if username:
            item["username"] = username
        with self._edit() as doc:
            doc["accounts"] = [a for a in doc["accounts"] if a["provider"] != provider] + [item]

    def remove_account(self, provider: str) -> bool:
        """Forget ``provider``'s record and its links; True if it was connected."""
        with self._edit() as doc:
            before = len(doc["accounts"])
            doc["accounts"] = [a for a in doc["accounts"] if a["provider"] != provider]
            doc["links"] = [x for x in doc["links"] if x["provider"] != provider]
            return len(doc["accounts"]) != before

    def link(self, provider: str, instance_id: str, alias: str, host_key_alias: str | None) -> None:
        """Remember that the saved instance ``alias`` is ``provider:instance_id``."""
        item: dict[str, Any] = {"provider": provider, "instance_id": instance_id, "alias": alias}
        if host_key_alias:
            item["host_key_alias"] = host_key_alias
        with self._edit() as doc:
            kept = [
                x
                for x in doc["links"]
                if (x["provider"], x["instance_id"]) != (provider, instance_id)
                and str(x["alias"]).lower() != alias.lower()
            ]
            doc["links"] = [*kept, item]

    def linked_instance(
        self, provider: str, instance_id: str, store: InstanceStore
    ) -> Instance | None:
        """The saved instance linked to ``provider:instance_id`` (by pin name, else alias)."""
        for link in self.links():
            if (link.provider, link.instance_id) == (provider, instance_id):
                return _find_saved(link, store.list())
        return None

    def link_of(self, instance: Instance) -> Link | None:
        """The link of a saved instance, if it is a platform instance."""
        for link in self.links():
            if _find_saved(link, [instance]) is not None:
                return link
        return None

    # --- file -------------------------------------------------------------------------------

    def _read(self) -> dict[str, list[dict[str, Any]]]:
        try:
            raw: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"accounts": [], "links": []}
        except (OSError, ValueError) as exc:
            raise self._corrupt(str(exc)) from None
        if not isinstance(raw, dict):
            raise self._corrupt("it is not an object")
        doc: dict[str, list[dict[str, Any]]] = {}
        for key, needed in (("accounts", ("provider",)), ("links", ("provider", "instance_id",
                                                                      "alias"))):  # fmt: skip
            items = raw.get(key, [])
            if not isinstance(items, list) or not all(
                isinstance(i, dict) and all(isinstance(i.get(n), str) for n in needed)
                for i in items
            ):
                raise self._corrupt(f'its "{key}" list is malformed')
            doc[key] = items
        return doc

    @contextlib.contextmanager
    def _edit(self) -> Iterator[dict[str, list[dict[str, Any]]]]:
        """A locked read-modify-write: change the yielded document, it is written after."""
        paths.ensure_private_dir(self.path.parent)
        with locked(self.path):
            doc = self._read()
            yield doc
            write_json_atomically(self.path, {"version": ACCOUNTS_VERSION, **doc}, backup=True)

    def _corrupt(self, why: str) -> FileWriteError:
        return FileWriteError(
            "accounts.corrupt",
            f"The platform accounts in {self.path} cannot be read: {why}.",
            "Fix the file by hand, or restore the copy next to it ending in .gpudesk-bak.",
        )


def token_name(provider: str) -> str:
    """The keyring name of a provider's token: ``api-token:<provider>``."""
    return secret_name("api-token", check_provider_id(provider))


def provider_with_token(provider: str, token: str, username: str | None = None) -> Provider:
    """The provider object for ``token`` (not stored: for checking a new token)."""
    if check_provider_id(provider) == "luchen":
        if not username:
            raise InputError(
                "provider.no_username",
                "潞晨云 accounts log in with a user name and a password.",
                "Give --username NAME.",
            )
        return LuchenProvider(username, token)
    return AutoDLProvider(token)


def open_provider(provider: str, secrets: SecretStore, book: AccountBook | None = None) -> Provider:
    """The provider of a connected account, with its token from the keyring.

    Raises:
        InputError: ``provider.not_connected`` when there is no account or no token.
        SecretStoreError: The keyring failed.
    """
    book = book or AccountBook()
    account = book.account(check_provider_id(provider))
    token = secrets.get(token_name(provider)) if account else None
    if account is None or not token:
        name = PROVIDER_NAMES[provider]
        raise InputError(
            "provider.not_connected",
            f"No {name} account is connected to gpudesk.",
            f"Connect it first: gpudesk account add {provider} --token-stdin.",
        )
    return provider_with_token(provider, token, account.username)


def require_persistent(secrets: SecretStore) -> None:
    """Refuse to connect an account when the token would be forgotten at exit."""
    if not secrets.persistent:
        raise SecretStoreError(
            "secrets.no_keyring",
            "No secure system keyring is available, so the account's token cannot be kept.",
            "On Linux install and unlock a Secret Service such as GNOME Keyring or KWallet; "
            "gpudesk never stores tokens in plain text.",
        )


def _find_saved(link: Link, instances: list[Instance]) -> Instance | None:
    if link.host_key_alias:
        for instance in instances:
            if instance.host_key_alias == link.host_key_alias:
                return instance
    wanted = link.alias.lower()
    return next((i for i in instances if i.alias.lower() == wanted), None)


def _opt(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
