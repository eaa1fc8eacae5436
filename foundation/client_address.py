"""Who is asking: the visitor's network address, for the contact form's rate limit and for
sign-in protection (django-axes) alike."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# An IPv6 home or office network is a /64: one visitor may use any address in it, and
# picks a new one at will. Counting each address alone would let one person get a fresh
# rate limit and fresh sign-in guesses with every address; they are counted by network.
IPV6_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the trusted proxy's header when configured;
    for IPv6 the first address of its /64 network (e.g. 2001:db8:1:2::).

    A proxy appends the address it saw to X-Forwarded-For, so the last entry is the one
    the proxy vouches for; earlier entries are whatever the client chose to send.
    """
    header = settings.CLIENT_IP_HEADER or getattr(settings, "INQUIRY_CLIENT_IP_HEADER", "")
    remote = request.META.get("REMOTE_ADDR", "")
    if header:
        forwarded = request.META.get(meta_key(header), "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return client_key(addresses[-1]) or client_key(remote) or remote
    return client_key(remote) or remote


def client_key(address: str) -> str:
    """The address as counted: IPv4 as is, IPv6 as its /64 network's first address. Empty
    for something that is not an address (never stored: axes keeps it in an IP field)."""
    try:
        parsed = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return ""
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        network = ipaddress.IPv6Network((parsed, IPV6_PREFIX), strict=False)
        return str(network.network_address)
    return str(parsed)


def meta_key(header_name: str) -> str:
    """Where Django keeps a request header: `X-Forwarded-For` is META["HTTP_X_FORWARDED_FOR"]."""
    return "HTTP_" + header_name.upper().replace("-", "_")
