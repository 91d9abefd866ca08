"""HTTP to a platform's API through httpx: bounded in time, retried only where that is safe.

One :class:`ApiClient` per account. Every request has a timeout; proxies come from the
environment (``HTTPS_PROXY``, ``NO_PROXY``: httpx's ``trust_env``). A request is retried with
backoff only when it never reached the platform (connection refused, DNS, connect timeout) or
when the platform said "not now" (HTTP 429 or 5xx); any other answer is returned to the caller
once. Nothing here logs a header, a body or a URL with parameters: the token travels in a
header the caller passes and never appears in an error text.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from gpudesk.core.errors import GpuDeskError, UnreachableError
from gpudesk.core.providers.refusals import bad_answer, token_rejected
from gpudesk.core.tunnels.backoff import BackoffPolicy

log = logging.getLogger(__name__)

#: Connect quickly or give up (the platform is down or blocked); reading may take longer.
DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=8.0)
#: Answers larger than this are not read into memory (a list page is a few kB).
MAX_ANSWER_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a failed request is tried again."""

    attempts: int = 4
    backoff: BackoffPolicy = field(
        default_factory=lambda: BackoffPolicy(first_delays_s=(0.5, 1.0), cap_s=8.0, jitter=0.2)
    )
    #: A ``Retry-After`` longer than this is not honoured (the request fails instead).
    max_retry_after_s: float = 30.0


class ApiClient:
    """Send JSON requests to one platform's API.

    Args:
        base_url: ``https://api.autodl.com`` or a stand-in.
        platform_name: The platform's name for error messages.
        timeout: httpx timeouts.
        retry: When to try again.
        transport: An httpx transport (tests); None uses the network.
        sleep: Waits between attempts (tests pass a fake).
    """

    def __init__(
        self,
        base_url: str,
        platform_name: str,
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.platform_name = platform_name
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._client = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            trust_env=True,
            follow_redirects=False,
            headers={"User-Agent": "gpudesk", "Accept": "application/json"},
        )

    def __repr__(self) -> str:
        return f"ApiClient({self.base_url!r})"

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        params: Mapping[str, str] | None = None,
        cookies: dict[str, str] | None = None,
    ) -> httpx.Response:
        """Send one request (retried as the policy says) and return the platform's answer.

        Raises:
            UnreachableError: ``provider.unreachable`` when every attempt failed to connect or
                the platform kept answering 429/5xx.
        """
        policy = self._retry
        last_problem = ""
        last_retry_after: float | None = None
        for attempt in range(policy.attempts):
            if attempt:
                self._sleep(self._delay(attempt - 1, last_retry_after))
            last_retry_after = None
            try:
                response = self._send(method, path, headers, json_body, params, cookies)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                last_problem = _describe(exc)
                log.info(
                    "%s: %s %s failed to connect (%s)",
                    self.platform_name,
                    method,
                    path,
                    type(exc).__name__,
                )
                continue
            except httpx.TimeoutException as exc:
                # Sent but unanswered: repeating a power call blindly could do it twice.
                raise self.unreachable(_describe(exc)) from None
            except (httpx.HTTPError, OSError) as exc:
                raise self.unreachable(_describe(exc)) from None
            if response.status_code == 429 or response.status_code >= 500:
                last_problem = f"HTTP {response.status_code}"
                last_retry_after = _retry_after(response)
                if last_retry_after is not None and last_retry_after > policy.max_retry_after_s:
                    break
                continue
            return response
        raise self.unreachable(last_problem)

    def unreachable(self, why: str) -> GpuDeskError:
        """The error for a platform that cannot be reached (``why`` holds no secret)."""
        return UnreachableError(
            "provider.unreachable",
            f"{self.platform_name}'s API at {self.base_url} could not be reached ({why}).",
            "Check your network or proxy, and the platform's status page; then try again.",
        )

    def _send(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str] | None,
        json_body: Any,
        params: Mapping[str, str] | None,
        cookies: dict[str, str] | None,
    ) -> httpx.Response:
        request = self._client.build_request(
            method, path, headers=headers, json=json_body, params=params, cookies=cookies
        )
        response = self._client.send(request, stream=True)
        try:
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise self.unreachable(f"an answer over {MAX_ANSWER_BYTES} bytes")
                chunks.append(chunk)
        finally:
            response.close()
        return httpx.Response(
            response.status_code, headers=response.headers, content=b"".join(chunks)
        )

    def _delay(self, retry: int, retry_after: float | None) -> float:
        delay = self._retry.backoff.delay(retry, random.random())  # noqa: S311 - jitter only
        return max(delay, retry_after or 0.0)


def json_answer(response: httpx.Response, platform: str) -> Any:
    """The decoded JSON of a 200 answer.

    Raises:
        AuthenticationError: ``provider.token_rejected`` for HTTP 401 or 403.
        GpuDeskError: ``provider.bad_answer`` for any other status, or a body that is not JSON.
    """
    if response.status_code in (401, 403):
        raise token_rejected(platform)
    if response.status_code != 200:
        raise bad_answer(platform, f"HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise bad_answer(platform, "the answer is not JSON") from None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 <= seconds < 86400 else None


def _describe(exc: Exception) -> str:
    """A short, secret-free description of a transport failure (no URL, no headers)."""
    detail = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


class ApiAccount:
    """What every platform account object shares: its HTTP client, id and name.

    Subclasses set :attr:`PROVIDER_ID` and :attr:`DISPLAY_NAME` and call ``super().__init__``.
    """

    PROVIDER_ID = ""
    DISPLAY_NAME = ""

    def __init__(self, client: ApiClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._client.base_url!r})"

    @property
    def provider_id(self) -> str:
        """The id in ``provider:ID`` references and in the keyring (``"autodl"``)."""
        return self.PROVIDER_ID

    @property
    def display_name(self) -> str:
        """The platform's name for messages (``"AutoDL"``)."""
        return self.DISPLAY_NAME

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()
