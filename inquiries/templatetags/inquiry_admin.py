from django import template
from django.urls import reverse

from ..models import Inquiry

register = template.Library()


@register.inclusion_tag("admin/inquiries/new_inquiries_notice.html", takes_context=True)
def new_inquiries_notice(context: template.Context) -> dict:
    """How many inquiries still wait for an answer, for staff allowed to see them."""
    user = context["request"].user
    if not user.has_perm("inquiries.view_inquiry"):
        return {"show": False}
    return {
        "show": True,
        "count": Inquiry.objects.filter(status=Inquiry.Status.NEW).count(),
        "url": reverse("admin:inquiries_inquiry_changelist") + f"?status={Inquiry.Status.NEW}",
        "urgent_count": Inquiry.objects.filter(urgent=True).count(),
        "urgent_url": reverse("admin:inquiries_inquiry_changelist") + "?urgent__exact=1&status=all",
    }
