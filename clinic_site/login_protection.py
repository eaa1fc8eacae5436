"""Two limits on failed admin sign-ins, counted by django-axes in the database.

django-axes compares one number, AXES_FAILURE_LIMIT, with the largest failure count
among its lockout parameters. We want two limits: 5 failures for one username from one
address (someone guessing a colleague's password), and a higher 20 for one address
across all usernames (someone trying many usernames, without locking a whole office
behind one address after a few honest typos). The address-wide count is therefore
scaled onto the same threshold: it reaches AXES_FAILURE_LIMIT exactly when the address
has failed LOGIN_ADDRESS_FAILURE_LIMIT times.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

ADDRESS_ONLY = "ip_address"


class TwoLimitDatabaseHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        pair_limit = get_failure_limit(request, credentials)
        address_limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        parameters = get_lockout_parameters(request, credentials)
        attempts_per_parameter = self.get_user_attempts(request, credentials)
        counts = []
        for parameter, attempts in zip(parameters, attempts_per_parameter, strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == ADDRESS_ONLY:
                # floor(failures * 5 / 20) >= 5 exactly when failures >= 20.
                failures = failures * pair_limit // address_limit
            counts.append(failures)
        return max(counts, default=0)
