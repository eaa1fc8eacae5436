from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("articles/", views.article_index, name="index"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("faq/", views.faq, name="faq"),
    path("glossary/", views.glossary, name="glossary"),
]
