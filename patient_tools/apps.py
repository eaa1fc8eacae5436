from django.apps import AppConfig


class PatientToolsConfig(AppConfig):
    name = "patient_tools"
    verbose_name = "Patient tools"
