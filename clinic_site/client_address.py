"""Who is asking: the visitor's network address, for the contact form's rate limit and for
sign-in protection (django-axes) alike."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the trusted proxy's header when configured.

    A proxy appends the address it saw to X-Forwarded-For, so the last entry is the one
    the proxy vouches for; earlier entries are whatever the client chose to send.
    """
    header = settings.INQUIRY_CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get(meta_key(header), "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR", "")


def meta_key(header_name: str) -> str:
    """Where Django keeps a request header: `X-Forwarded-For` is META["HTTP_X_FORWARDED_FOR"]."""
    return "HTTP_" + header_name.upper().replace("-", "_")
