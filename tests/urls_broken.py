"""A URL configuration with a view that fails, to show the 500 page (tests only)."""

from django.urls import path

from clinic_site.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), *site_urlpatterns]
handler500 = "foundation.views.server_error"
