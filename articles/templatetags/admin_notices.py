from django import template
from django.urls import reverse

from ..models import REVIEW_WARNING_DAYS
from ..review import review_counts

register = template.Library()


@register.inclusion_tag("admin/articles/review_due_notice.html", takes_context=True)
def review_due_notice(context: template.Context) -> dict:
    """Where clinical review stands, for article staff: the same counts review_reminders
    and /about-our-content/ use, each linking to the articles or changes it counts."""
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"show": False}
    changelist = reverse("admin:articles_article_changelist")
    counts = review_counts()
    return {
        "show": True,
        "counts": counts,
        "days": REVIEW_WARNING_DAYS,
        "waiting_url": reverse("admin:articles_pendingchange_changelist"),
        "overdue_url": changelist + "?review=overdue&status__exact=published",
        "due_url": changelist + "?review=due&status__exact=published",
        "never_url": changelist + "?review=never&status__exact=published",
    }
