"""Checks Django runs with `manage.py check --deploy` (registered in foundation/apps.py)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def client_address_behind_proxy(app_configs, **kwargs) -> list[Error]:
    """Behind a TLS proxy without CLIENT_IP_HEADER, every visitor has the proxy's address:
    the contact form's rate limit is shared by the whole world, and anyone can lock every
    member of staff out of the admin."""
    if settings.SECURE_PROXY_SSL_HEADER and not settings.CLIENT_IP_HEADER:
        return [
            Error(
                "DJANGO_SECURE_PROXY_SSL_HEADER is set (the site is behind a proxy), but "
                "CLIENT_IP_HEADER is not: every visitor would share the proxy's address "
                "for the rate limit and sign-in protection.",
                hint="Set CLIENT_IP_HEADER=X-Forwarded-For and have the proxy set that "
                "header from the client's address (deploy/nginx-site.conf does).",
                id="clinic.E001",
            )
        ]
    return []
