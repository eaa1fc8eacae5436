"""The clinic's optional after-hours line, and one for the demo profile (still on its
fictional demo number), so the demo shows the route for when the clinic is closed."""

from django.db import migrations, models

DEMO_PHONE = "(201) 555-0142"
DEMO_AFTER_HOURS = {
    "after_hours_phone": "(201) 555-0199",
    "after_hours_note": "a nurse answers at night and at weekends",
}


def demo_after_hours_line(apps, schema_editor):
    ClinicProfile = apps.get_model("clinic", "ClinicProfile")
    ClinicProfile.objects.filter(pk=1, phone=DEMO_PHONE, after_hours_phone="").update(
        **DEMO_AFTER_HOURS
    )


class Migration(migrations.Migration):

    dependencies = [
        ('clinic', '0005_page_newlines_generated_about_page'),
    ]

    operations = [
        migrations.AddField(
            model_name='clinicprofile',
            name='after_hours_note',
            field=models.CharField(blank=True, help_text='Shown after the number, in brackets, in plain words: e.g. a nurse answers at night and at weekends.', max_length=200, verbose_name='what the after-hours line is for'),
        ),
        migrations.AddField(
            model_name='clinicprofile',
            name='after_hours_phone',
            field=models.CharField(blank=True, help_text='Optional: a line patients can call when the clinic is closed, e.g. a nurse or on-call clinician. Every care card that says “call the clinic” gives it for when the clinic is closed; left empty, they say to go to an urgent care center or call your own doctor instead. Either way, 911 if it gets worse.', max_length=40, verbose_name='after-hours phone'),
        ),
        migrations.RunPython(demo_after_hours_line, migrations.RunPython.noop),
    ]
