from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("insights/view/", views.page_view, name="page-view"),
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/thanks/", views.feedback_thanks, name="feedback-thanks"),
]
