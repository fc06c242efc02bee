"""One signed POST to a webhook target, connected to an address ``targets`` has checked.

No proxies, no redirects (a 3xx is a failed attempt: following it would bypass the address check).
"""

import hashlib
import hmac
import http.client
import socket
import ssl
from dataclasses import dataclass

from . import targets

TIMEOUT_SECONDS = 10
USER_AGENT = "TimeTracker-Webhooks/1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the secret>`` (see docs/webhooks.md)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedConnectionMixin:
    """Connects to the checked address while Host (and, for HTTPS, SNI and the certificate) use the name."""

    def __init__(self, host, port, *, address, **kwargs):
        super().__init__(host, port, timeout=TIMEOUT_SECONDS, **kwargs)
        self.address = address

    def _connect_socket(self):
        return socket.create_connection((self.address, self.port), self.timeout)


class _HTTPConnection(_PinnedConnectionMixin, http.client.HTTPConnection):
    def connect(self):
        self.sock = self._connect_socket()


class _HTTPSConnection(_PinnedConnectionMixin, http.client.HTTPSConnection):
    def __init__(self, host, port, *, address):
        super().__init__(host, port, address=address, context=ssl.create_default_context())

    def connect(self):
        self.sock = self._context.wrap_socket(self._connect_socket(), server_hostname=self.host)


def post(*, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST ``body``; the outcome of the attempt, never an exception for a network or target problem."""
    try:
        target = targets.parse(url)
        addresses = targets.checked_addresses(target)
    except targets.TargetRefused as exc:
        return Outcome(error=f"Refused: {exc}")
    connection_class = _HTTPSConnection if target.scheme == "https" else _HTTPConnection
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers}
    error = ""
    for address in addresses:
        connection = connection_class(target.host, target.port, address=address)
        try:
            connection.request("POST", target.path, body=body, headers=headers)
            response = connection.getresponse()
            response.read(64 * 1024)  # let the receiver finish; the body itself is not kept
            return Outcome(status_code=response.status)
        except (TimeoutError, socket.timeout):
            return Outcome(error=f"Timed out after {TIMEOUT_SECONDS} s.")
        except ConnectionRefusedError as exc:
            error = f"Connection refused ({exc.strerror or exc})."  # try the next address
        except (OSError, http.client.HTTPException) as exc:
            return Outcome(error=f"{type(exc).__name__}: {exc}"[:500])
        finally:
            connection.close()
    return Outcome(error=error)
