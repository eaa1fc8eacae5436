from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles import views as article_views

from . import views

admin.site.site_header = "Clinic website administration"
admin.site.site_title = "Clinic website"

urlpatterns = [
    path("", article_views.home, name="home"),
    path("", include("articles.urls")),
    path("healthz", views.healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler404 = "clinic_site.views.page_not_found"
handler500 = "clinic_site.views.server_error"
