"""A platform's refusals as gpudesk errors, each with a message and a hint.

AutoDL answers failures as HTTP 200 with ``code != "Success"`` and a Chinese ``msg``; there
is no official code table, so the kind of refusal is read from the code and the message (the
rules below are gpudesk's own, from the codes and messages public clients report). The
platform's message is untrusted text: it is cut to one short printable line before it goes
into an error.
"""

from __future__ import annotations

import re

from gpudesk.core.errors import (
    AuthenticationError,
    GpuDeskError,
    InputError,
    PlatformRefusedError,
)

MAX_MESSAGE_CHARS = 160

_NO_STOCK = re.compile(
    r"暂无库存|库存不足|(?:无|没有)(?:空闲|可用)的?\s*(?:GPU|显卡|机器)|no gpu", re.I
)
_VERIFY = re.compile(r"实名|real[- ]?name|verif", re.I)
_BALANCE = re.compile(r"余额不足|欠费|insufficient balance", re.I)
_TOKEN = re.compile(
    r"认证失败|鉴权失败|未授权|未登录|token\s*(?:无效|失效|过期|错误)"
    r"|unauthori[sz]ed|invalid token",
    re.I,
)
_NOT_FOUND = re.compile(r"RecordNotFound|NotFound|不存在|not found", re.I)


def clean_message(text: object) -> str:
    """The platform's message as one bounded line of printable text (empty if not text)."""
    if not isinstance(text, str):
        return ""
    line = "".join(ch if ch.isprintable() else " " for ch in text)
    line = " ".join(line.split())
    return line[:MAX_MESSAGE_CHARS] + ("…" if len(line) > MAX_MESSAGE_CHARS else "")


def is_no_stock(error: GpuDeskError) -> bool:
    """True for the refusal :func:`refusal_error` gives when no GPU is free (暂无库存)."""
    return error.code == "provider.no_stock"


def token_rejected(platform: str) -> AuthenticationError:
    """The token (or login) was refused."""
    return AuthenticationError(
        "provider.token_rejected",
        f"{platform} rejected the API token.",
        "Copy the developer token again from the console (账号 → 设置 → 开发者Token) and "
        "connect the account again.",
    )


def refusal_error(platform: str, code: str, message: str, instance_id: str | None) -> GpuDeskError:
    """The gpudesk error for a refusal with the platform's ``code`` and ``message``.

    Args:
        platform: The platform's name for the message.
        code: The envelope's ``code`` (not ``Success``).
        message: The envelope's ``msg`` (untrusted; cleaned here).
        instance_id: The instance the call was about, if any.
    """
    said = clean_message(message) or clean_message(code) or "no reason given"
    both = f"{code} {message}"
    if _NO_STOCK.search(both):
        return PlatformRefusedError(
            "provider.no_stock",
            f"{platform} has no free GPU for this instance right now ({said}).",
            "Try again later, or let gpudesk retry with --wait-for-gpu MINUTES.",
        )
    if _TOKEN.search(both):
        return token_rejected(platform)
    if _VERIFY.search(both):
        return PlatformRefusedError(
            "provider.verification_needed",
            f"{platform} needs the account's real-name verification first ({said}).",
            "Finish real-name verification (实名认证) in the platform's console, then retry.",
        )
    if _BALANCE.search(both):
        return PlatformRefusedError(
            "provider.balance_too_low",
            f"{platform} refused: the account's balance is too low ({said}).",
            "Top up the account in the platform's console, then retry.",
        )
    if _NOT_FOUND.search(code) or (instance_id and _NOT_FOUND.search(message)):
        return instance_not_found(platform, instance_id or "?")
    return PlatformRefusedError(
        "provider.refused",
        f"{platform} refused the request: {said} ({clean_message(code)}).",
        "Check the instance in the platform's console; the message above is the platform's.",
    )


def instance_not_found(platform: str, instance_id: str) -> InputError:
    """No instance with that id in this account (or not one the API controls)."""
    return InputError(
        "provider.instance_not_found",
        f"{platform} knows no instance {clean_message(instance_id)!r} in this account.",
        "List them with gpudesk instances. AutoDL's API reaches Pro instances (pro-…) only; "
        "ordinary instances stay on the pasted-command path.",
    )


def bad_answer(platform: str, why: str) -> GpuDeskError:
    """The platform answered something that is not what its API documents."""
    return GpuDeskError(
        "provider.bad_answer",
        f"{platform}'s API gave an answer gpudesk cannot read ({why}).",
        "Try again later; if it persists, the platform may have changed its API.",
    )


def unsupported(platform: str, what: str) -> InputError:
    """A call the platform's public documentation does not offer."""
    return InputError(
        "provider.unsupported",
        f"{platform}'s documented API does not offer {what}.",
        "Do it in the platform's console.",
    )


def not_running(platform: str, instance_id: str, status: str) -> PlatformRefusedError:
    """The instance has no SSH endpoint while it is not running."""
    return PlatformRefusedError(
        "provider.not_running",
        f"The instance {clean_message(instance_id)} is {clean_message(status) or 'not running'} "
        "and has no SSH address now.",
        "Power it on first (gpudesk power-on ... --wait).",
    )
