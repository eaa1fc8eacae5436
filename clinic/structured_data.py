"""schema.org JSON-LD for the clinic itself, built from the clinic profile."""

from django.http import HttpRequest
from django.utils import translation

from .models import ClinicProfile

SCHEMA = "https://schema.org"


def clinic_jsonld(clinic: ClinicProfile, request: HttpRequest) -> dict:
    data = {
        "@context": SCHEMA,
        "@type": "MedicalClinic",
        "name": clinic.name,
        # On the Spanish home page, the Spanish tagline when the profile has one.
        "description": clinic.in_language("tagline", translation.get_language()).text,
        "url": request.build_absolute_uri("/"),
        "telephone": clinic.phone,
        "email": clinic.email,
        "address": {"@type": "PostalAddress", "streetAddress": ", ".join(clinic.address_lines)},
        "medicalSpecialty": "Psychiatric",
    }
    if clinic.opening_hours_spec:
        data["openingHours"] = [
            h.strip() for h in clinic.opening_hours_spec.split(",") if h.strip()
        ]
    return data
