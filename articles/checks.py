"""A system check: publishing without clinical review is for the laptop demo only."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def medical_review_required_in_production(app_configs, **kwargs) -> list:
    if settings.DEBUG or settings.REQUIRE_MEDICAL_REVIEW:
        return []
    return [
        Warning(
            "REQUIRE_MEDICAL_REVIEW is off while DJANGO_DEBUG is False: articles can be "
            "published without a clinician's review.",
            hint="Leave REQUIRE_MEDICAL_REVIEW unset (or True) in production; only the "
            "laptop demo (scripts/run) turns it off.",
            id="articles.W001",
        )
    ]
