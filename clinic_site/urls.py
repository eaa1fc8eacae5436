from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles import views as articles_views
from articles.feeds import ArticleFeed
from clinic import views as clinic_views
from foundation import editor_views, views
from insights import admin_views as insights_admin_views

from . import pages

admin.site.site_header = "Clinic website administration"
admin.site.site_title = "Clinic website"

# Outside the language prefix: addresses that are the same in every language (the admin,
# health check, editor endpoints, sitemap, robots.txt, feed).
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Before the admin's own URLs, which would take /admin/insights/ for an app's page.
    path(
        settings.ADMIN_URL + "insights/",
        insights_admin_views.insights_page,
        name="admin-insights",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    # The Markdown editor's preview and upload, at the paths its JavaScript is given.
    path(
        settings.MARKDOWNX_URLS_PATH.lstrip("/"),
        editor_views.markdownify_preview,
        name="editor-markdownify",
    ),
    path(
        settings.MARKDOWNX_UPLOAD_URLS_PATH.lstrip("/"),
        editor_views.upload_image,
        name="editor-upload",
    ),
    path("editor/preview.css", editor_views.preview_stylesheet, name="editor-preview-css"),
    path("sitemap.xml", sitemap, {"sitemaps": pages.SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("feed/", ArticleFeed(), name="feed"),
]

# The pages patients read, in English at today's addresses and in Spanish under /es/
# (the address alone says the language: foundation.middleware.LanguageFromAddressMiddleware).
urlpatterns += i18n_patterns(
    path("", pages.home, name="home"),
    path("", include("articles.urls")),
    path("", include("search.urls")),
    path("", include("inquiries.urls")),
    path("", include("insights.urls")),
    path("", include("patient_tools.urls")),
    # Composed from live facts (articles, changes waiting, the clinical team): before the
    # trust pages' catch-all below.
    path("about-our-content/", pages.about_our_content, name="about-our-content"),
    # Made from the triage data; every care card links here.
    path("when-to-get-help/", articles_views.when_to_get_help, name="when_to_get_help"),
    # Last, so it never hides another address: /privacy/, /accessibility/, ...
    path("<slug:slug>/", clinic_views.page, name="page"),
    prefix_default_language=False,
)

# Uploaded images on a laptop (DEBUG only: `static()` adds nothing otherwise). In
# production the web server in front of gunicorn serves MEDIA_ROOT at MEDIA_URL.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "foundation.views.bad_request"
handler403 = "foundation.views.permission_denied"
handler404 = "foundation.views.page_not_found"
handler500 = "foundation.views.server_error"
