from django import template

from ..models import ChangeStatus, PendingChange
from ..review import display_name
from ..review.notices import where_to_revise

register = template.Library()


@register.inclusion_tag("admin/articles/sent_back_notice.html", takes_context=True)
def sent_back_to_you(context: template.Context) -> dict:
    """On the admin home page: the signed-in editor's changes a clinical reviewer sent
    back and she has not revised or withdrawn yet, each with the reviewer's comment and
    a link to the article, where she revises it."""
    user = context["request"].user
    changes = (
        PendingChange.objects.filter(submitted_by=user, status=ChangeStatus.SENT_BACK)
        .select_related("content_type", "decided_by")
        .order_by("-decided_at", "-pk")
    )
    items = [
        {
            "title": change.title,
            "url": where_to_revise(change),
            "reviewer": display_name(change.decided_by) if change.decided_by else "",
            "decided_at": change.decided_at,
            "comment": change.comment,
        }
        for change in changes
    ]
    return {"items": items}
