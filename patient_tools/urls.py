from django.urls import path

from . import views

app_name = "patient_tools"

urlpatterns = [
    path("check-your-mood/", views.check_your_mood, name="check-your-mood"),
    path(
        "questions-for-your-consultation/",
        views.questions_for_your_consultation,
        name="questions",
    ),
]
