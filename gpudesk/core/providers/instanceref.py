"""What ``ALIAS`` or ``autodl:ID`` on a command line means, and setting up from an account.

:func:`resolve_instance` turns either form into the platform instance and, when there is
one, the saved gpudesk instance linked to it. :func:`login_from_account` is what
``setup --instance autodl:ID`` calls: the endpoint and password from the API, as the same
target + password a pasted command and a typed password would give, and it links the alias.
"""

from __future__ import annotations

from dataclasses import dataclass

from gpudesk.core.errors import InputError
from gpudesk.core.models import SshTarget
from gpudesk.core.providers.accounts import AccountBook, open_provider, parse_ref
from gpudesk.core.providers.model import Provider
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.store.secrets import SecretStore, open_secret_store


@dataclass(frozen=True)
class ResolvedInstance:
    """A platform instance named on the command line, and its saved gpudesk instance."""

    provider_id: str
    instance_id: str
    saved: Instance | None

    @property
    def ref(self) -> str:
        """``provider:id``."""
        return f"{self.provider_id}:{self.instance_id}"


def resolve_instance(
    text: str, store: InstanceStore | None = None, book: AccountBook | None = None
) -> ResolvedInstance:
    """``autodl:ID`` or the alias of a saved instance that is linked to a platform instance.

    Raises:
        InputError: ``instance.not_found`` (no such alias) or ``provider.not_linked``.
    """
    store = store or InstanceStore()
    book = book or AccountBook()
    ref = parse_ref(text)
    if ref is not None:
        return ResolvedInstance(ref[0], ref[1], book.linked_instance(ref[0], ref[1], store))
    saved = store.require(text)
    link = book.link_of(saved)
    if link is None:
        raise InputError(
            "provider.not_linked",
            f"{saved.alias} was set up from a pasted command, not from a platform account.",
            "Use autodl:INSTANCE_ID (see gpudesk instances), or set it up again with "
            f"gpudesk setup --instance autodl:INSTANCE_ID --alias {saved.alias}.",
        )
    return ResolvedInstance(link.provider, link.instance_id, saved)


def login_from_account(
    ref_text: str,
    alias: str,
    *,
    secrets: SecretStore | None = None,
    provider: Provider | None = None,
    book: AccountBook | None = None,
    store: InstanceStore | None = None,
) -> tuple[SshTarget, str | None]:
    """The login of ``provider:ID`` read from the API, and the alias linked to it.

    Returns:
        The target (as a pasted command would give) and the password the platform shows.

    Raises:
        InputError: Not a ``provider:ID``, no account connected, or no such instance.
        PlatformRefusedError: ``provider.not_running`` (power it on first).
    """
    ref = parse_ref(ref_text)
    if ref is None:
        raise InputError(
            "provider.bad_ref",
            f"{ref_text[:120]!r} does not name a platform instance.",
            "Write it as autodl:INSTANCE_ID (see gpudesk instances).",
        )
    book = book or AccountBook()
    if provider is None:
        secrets = secrets or open_secret_store()[0]
        provider = open_provider(ref[0], secrets, book)
    endpoint = provider.endpoint(ref[1])
    existing = (store or InstanceStore()).get(alias)
    book.link(ref[0], ref[1], alias, existing.host_key_alias if existing else None)
    return endpoint.target(ref[0]), endpoint.password
