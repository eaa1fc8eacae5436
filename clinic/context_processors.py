from django.db import DatabaseError

from clinic_site.page_cache import content_version

from .models import DEMO_PROFILE, ClinicProfile


def clinic(request) -> dict:
    """The clinic profile for the header and footer of every page, and the content version
    the templates key their cached header and footer on (base.html).

    Error pages are rendered when the database may be down, so a failed query
    falls back to the unsaved defaults rather than turning a 503 into a 500.
    """
    try:
        profile = ClinicProfile.current()
    except DatabaseError:
        profile = ClinicProfile(**DEMO_PROFILE)
    return {"clinic": profile, "content_version": content_version()}
