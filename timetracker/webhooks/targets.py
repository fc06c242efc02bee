"""Which URLs a webhook may point at (server-side request forgery protection).

A target must be http(s), and unless ``WEBHOOKS_ALLOW_PRIVATE_TARGETS`` is on, every address its host
resolves to must be public: no loopback, private, link-local, multicast, reserved or unspecified address,
also when hidden in an IPv6 form (IPv4-mapped, 6to4, Teredo, NAT64). The check runs when a webhook is saved
and again before every attempt (DNS can change), and the attempt connects to the address that was checked.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class TargetRefused(Exception):
    """The target URL or the addresses it resolves to are not allowed."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query string


def parse(url: str) -> Target:
    """The parts of an http(s) URL; TargetRefused if it is not one."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"The URL is malformed: {exc}.") from None
    if parts.scheme not in ("http", "https"):
        raise TargetRefused("The URL must start with http:// or https://.")
    if not parts.hostname:
        raise TargetRefused("The URL has no host.")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("Credentials in the URL are not supported.")
    if port == 0:
        raise TargetRefused("The URL's port must be between 1 and 65535.")
    if port is None:
        port = 443 if parts.scheme == "https" else 80
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path)


def _embedded_ipv4(ip: ipaddress.IPv6Address):
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and (embedded := _embedded_ipv4(ip)) is not None:
        return is_public(str(embedded))  # the IPv4 address it reaches decides
    return ip.is_global and not (
        ip.is_multicast or ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified
    )


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, in the resolver's order (tests replace this to play DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def checked_addresses(target: Target) -> list[str]:
    """The addresses to connect to; TargetRefused if the host does not resolve or any address is not allowed.

    All of them must pass, not just one: a name with one public and one private address could otherwise be
    used to reach the private one.
    """
    try:
        addresses = resolve(target.host, target.port)
    except (OSError, UnicodeError) as exc:
        raise TargetRefused(f"The host {target.host} could not be resolved ({exc}).") from None
    if not addresses:
        raise TargetRefused(f"The host {target.host} could not be resolved.")
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        refused = [address for address in addresses if not is_public(address)]
        if refused:
            raise TargetRefused(
                f"The host {target.host} resolves to {refused[0]}, a loopback, private, link-local, multicast or "
                "reserved address; webhooks may only call public addresses."
            )
    return addresses


def check_url(url: str) -> Target:
    """The check when a webhook is saved; raises ValidationError on ``url``."""
    try:
        target = parse(url)
        checked_addresses(target)
    except TargetRefused as exc:
        raise ValidationError({"url": [str(exc)]}) from None
    return target
