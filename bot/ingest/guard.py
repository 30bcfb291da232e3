"""Which addresses an article link may make the bot fetch (server-side request forgery).

Feeds are the operator's choice; the links inside them are not: anyone who can publish in a feed (or
redirect one of its pages) could make the bot fetch an internal page, whose text would then be quoted
to subscribers. So an article fetch is refused, on every redirect hop and after DNS resolution, when
the host resolves to a loopback, private, shared (carrier-grade NAT), link-local (cloud metadata at
169.254.169.254), multicast, reserved or unspecified address. Alibaba Cloud's metadata service lives
at 100.100.100.200, inside the shared range, so it is covered too.

Two ways through, both the operator's:
    - a link on the same origin (scheme, host, port) as the source's feed URL is as trusted as the
      feed itself (a self-hosted feed with its pages on the same server);
    - BOT_ALLOW_PRIVATE_LINKS=true opens private addresses wholesale (a trusted intranet).

The name is resolved here and again by the HTTP client when it connects, so a DNS server could change
its answer in between (rebinding). The address the connection really reached is therefore checked too
(`refusal_for_peer`), before the body is read: the request may have been made, its answer is never used.
Behind an HTTP proxy that peer is the proxy, so that second check is skipped for proxied URLs.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

Origin = tuple[str, str, int]
Resolver = Callable[[str, int], Awaitable[list[str]]]
SETTING = "BOT_ALLOW_PRIVATE_LINKS"


def origin_of(url: str) -> Origin | None:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return None
    return parsed.scheme, parsed.host.lower(), parsed.port or (443 if parsed.scheme == "https" else 80)


def address_kind(address: str) -> str | None:
    """Why this IP address is refused ("loopback", "private" ...), or None for a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone id is not part of the address
    except ValueError:
        return "unreadable"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local (cloud metadata)"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip in _SHARED:
        return "shared (carrier-grade NAT, cloud metadata)"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "reserved"
    return None


_SHARED = ipaddress.ip_network("100.64.0.0/10")


async def system_resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class LinkGuard:
    """The rule for one source's article links: see the module docstring."""

    trusted_origin: Origin | None
    allow_private: bool = False
    resolve: Resolver = system_resolve

    @classmethod
    def for_feed(cls, feed_url: str, allow_private: bool, resolve: Resolver = system_resolve) -> LinkGuard:
        return cls(origin_of(feed_url), allow_private, resolve)

    async def refusal(self, url: str) -> str | None:
        """A one-line reason to refuse fetching `url`, or None when it may be fetched."""
        origin = origin_of(url)
        if origin is None:
            return "the link is not an http(s) URL"
        if origin == self.trusted_origin or self.allow_private:
            return None
        _, host, port = origin
        try:
            addresses = [host.strip("[]")] if _is_ip(host) else await self.resolve(host, port)
        except (OSError, UnicodeError):
            return None  # cannot resolve: the fetch itself fails with its own clear message
        for address in addresses:
            kind = address_kind(address)
            if kind is not None:
                shown = host if address == host.strip("[]") else f"{host} ({address})"
                return (f"the link leads to {shown}, a {kind} address: refused "
                        f"(the feed's own server, or {SETTING}=true, is allowed)")
        return None

    def refusal_for_peer(self, url: str, peer: str | None) -> str | None:
        """A reason to drop a response whose connection reached `peer` (an IP address), or None."""
        origin = origin_of(url)
        if peer is None or origin is None or origin == self.trusted_origin or self.allow_private:
            return None
        if _proxied(origin):
            return None  # the peer is the proxy, which resolves the name itself
        kind = address_kind(peer)
        if kind is None:
            return None
        return (f"the link leads to {origin[1]}, whose connection reached {peer}, a {kind} address (its DNS "
                f"answer changed): refused (the feed's own server, or {SETTING}=true, is allowed)")


def _proxied(origin: Origin) -> bool:
    proxies = urllib.request.getproxies_environment()
    # proxy_bypass_environment reads NO_PROXY as httpx does (it is missing from typeshed's stubs)
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    return origin[0] in proxies and not bypass(origin[1], proxies)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True
