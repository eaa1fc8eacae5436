"""Create the one clinic profile with clearly fictional demo values, for staff to edit."""

from django.db import migrations

DEMO_PROFILE = {
    "name": "Example Ketamine Clinic",
    "tagline": (
        "A medical clinic that offers supervised ketamine treatment for depression "
        "and related conditions, with care before, during and after every visit."
    ),
    "phone": "(201) 555-0142",
    "email": "hello@example.com",
    "address": "100 Example Avenue, Suite 200\nSpringfield, NJ 07081",
    "hours": "Monday to Friday: 8 am to 5 pm\nSaturday: 9 am to 1 pm\nSunday: closed",
    "callback_time": "We usually call back within one business day.",
    "booking_url": "",
}


def create_profile(apps, schema_editor):
    ClinicProfile = apps.get_model("clinic", "ClinicProfile")
    ClinicProfile.objects.get_or_create(pk=1, defaults=DEMO_PROFILE)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0001_initial")]
    operations = [migrations.RunPython(create_profile, migrations.RunPython.noop)]
