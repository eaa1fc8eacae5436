from django.db import DatabaseError

from .models import DEMO_PROFILE, ClinicProfile


def clinic(request) -> dict:
    """The clinic profile for the header and footer of every page.

    Error pages are rendered when the database may be down, so a failed query
    falls back to the unsaved defaults rather than turning a 503 into a 500.
    """
    try:
        profile = ClinicProfile.current()
    except DatabaseError:
        profile = ClinicProfile(**DEMO_PROFILE)
    return {"clinic": profile}
