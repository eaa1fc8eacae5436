"""The admin's odd requests answered politely, never with a 500 (issue 26).

Django's admin passes an object id from the URL and list filters from the query string
on to the database. Some values it does not expect fail there: "abc" as the id of a model
with numeric ids (django-simple-history's history page looks it up as it is), NUL in a
filter (PostgreSQL refuses it in text), a date filter at year 9999 (one day later, or the
same moment in UTC, is past the largest date Python has). This middleware:

- answers 404 for an object id the model's key cannot hold, before the view runs;
- answers 400 with an admin-styled page for NUL anywhere in an admin page's query, and
  for a list whose filters overflow a date or number.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

BAD_REQUEST = 400


def admin_page(view_func) -> admin.ModelAdmin | None:
    """The ModelAdmin behind a view of the admin (Django marks its views with it)."""
    return getattr(view_func, "model_admin", None)


def bad_admin_request(request: HttpRequest) -> HttpResponse:
    context = {**admin.site.each_context(request), "title": "That filter cannot be used"}
    return render(request, "admin/bad_request.html", context, status=BAD_REQUEST)


class AdminOddRequestsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin = admin_page(view_func)
        if model_admin is None:
            return None
        if any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            return bad_admin_request(request)
        object_id = view_kwargs.get("object_id")
        if object_id is not None:
            object_id = unquote(object_id)
            if "\x00" in object_id:
                raise Http404("No such item.")
            try:
                model_admin.model._meta.pk.to_python(object_id)
            except ValidationError:
                raise Http404("No such item.") from None
        return None

    def process_exception(self, request, exception):
        match = request.resolver_match
        if (
            isinstance(exception, OverflowError)
            and match is not None
            and admin_page(match.func) is not None
            and (match.url_name or "").endswith("_changelist")
        ):
            return bad_admin_request(request)
        return None
