from django import template
from django.urls import reverse

from ..models import REVIEW_WARNING_DAYS, Article

register = template.Library()


@register.inclusion_tag("admin/articles/review_due_notice.html", takes_context=True)
def review_due_notice(context: template.Context) -> dict:
    """Articles whose medical review is due soon or was never recorded, for article staff."""
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"show": False}
    changelist = reverse("admin:articles_article_changelist")
    return {
        "show": True,
        "due_count": Article.objects.review_due().count(),
        "never_count": Article.objects.filter(next_review_due__isnull=True).count(),
        "days": REVIEW_WARNING_DAYS,
        "due_url": changelist + "?review=due",
        "never_url": changelist + "?review=never",
    }
