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
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

ADDRESS_ONLY = "ip_address"
USERNAME_ONLY = "username"


class TwoLimitDatabaseHandler(AxesDatabaseHandler):
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
