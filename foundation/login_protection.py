"""Three limits on failed admin sign-ins, counted by django-axes in the database.

django-axes compares one number, AXES_FAILURE_LIMIT, with the largest failure count
among its lockout parameters. We want three limits:

- 5 failures for one username from one address (someone guessing a colleague's password);
- 20 for one address across all usernames (someone trying many usernames, without locking
  a whole office behind one address after a few honest typos);
- 20 for one username across all addresses (someone guessing one account's password from
  many addresses, as a botnet or a changing IPv6 address would).

The address-wide and username-wide counts are therefore scaled onto the same threshold:
each reaches AXES_FAILURE_LIMIT exactly when it reaches its own limit.

A successful sign-in forgives only the failures of that username from that address. axes'
own reset deletes every attempt matching any lockout parameter, the address alone
included: 4 wrong `root` passwords then 1 right `frontdesk` sign-in, repeated, gave
unlimited guesses at `root`.

The username-wide limit does not apply at a known place: an address from which that
username has signed in successfully within LOGIN_KNOWN_PLACE_DAYS (axes' own AccessLog of
successful sign-ins). Anyone who knows a staff username could otherwise lock its owner out
everywhere with 20 wrong passwords from a few addresses (issue 26), and keep the front desk
from reading urgent inquiries. We chose this over axes' username-and-address lockout alone
(which drops the per-account limit, so a botnet would get 4 guesses from every address):
- from an address that never signed in as that user, the account stays locked after 20
  failures from anywhere: guessing one account's password from many addresses is still
  throttled;
- from the office or home the owner already used, the right password works; guessing
  from there is still throttled by the pair limit (5) and the address limit (20).
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

ADDRESS_ONLY = "ip_address"
USERNAME_ONLY = "username"


class ThreeLimitDatabaseHandler(AxesDatabaseHandler):
    """axes' database handler with the three limits above (AXES_HANDLER in settings.py)."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        pair_limit = get_failure_limit(request, credentials)
        scaled_limits = {
            ADDRESS_ONLY: settings.LOGIN_ADDRESS_FAILURE_LIMIT,
            USERNAME_ONLY: settings.LOGIN_USERNAME_FAILURE_LIMIT,
        }
        parameters = get_lockout_parameters(request, credentials)
        attempts_per_parameter = self.get_user_attempts(request, credentials)
        counts = []
        for parameter, attempts in zip(parameters, attempts_per_parameter, strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if isinstance(parameter, str) and parameter in scaled_limits:
                # floor(failures * 5 / 20) >= 5 exactly when failures >= 20.
                failures = failures * pair_limit // scaled_limits[parameter]
                if (
                    parameter == USERNAME_ONLY
                    and failures >= pair_limit
                    and is_known_place(request, credentials)
                ):
                    failures = 0  # the owner at a place they signed in from before
            counts.append(failures)
        return max(counts, default=0)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """After a successful sign-in: forget that username's failures from this address,
        and nothing else (not other usernames' failures from it, nor this username's from
        elsewhere)."""
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return deleted


def is_known_place(request: HttpRequest, credentials: dict | None) -> bool:
    """Has this username signed in successfully from this client address recently?

    The address is the one axes keys everything by (foundation.client_address: the
    proxy's last X-Forwarded-For entry, an IPv6 /64), which a client cannot choose.
    """
    username = get_client_username(request, credentials)
    if not username:
        return False
    since = timezone.now() - timedelta(days=settings.LOGIN_KNOWN_PLACE_DAYS)
    return AccessLog.objects.filter(
        username=username, ip_address=request.axes_ip_address, attempt_time__gte=since
    ).exists()
