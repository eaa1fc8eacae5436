from django.db import models


class ClinicProfile(models.Model):
    """The clinic's own details, shown in every page's header and footer.

    There is only ever one row (pk=1); `ClinicProfile.load()` returns it.
    """

    name = models.CharField(max_length=120)
    tagline = models.CharField(
        max_length=200,
        help_text="The clinic in one sentence, shown at the top of the home page.",
    )
    phone = models.CharField(
        max_length=40, help_text="As patients should dial it, e.g. (201) 555-0142."
    )
    email = models.EmailField()
    address = models.TextField(help_text="One line per line of the postal address.")
    hours = models.TextField(help_text="Opening hours, one line per line, e.g. Mon–Fri 8am–5pm.")
    callback_time = models.CharField(
        max_length=200,
        default="We usually call back within one business day.",
        help_text="Shown after someone sends the contact form.",
    )
    booking_url = models.URLField(
        blank=True, help_text="Optional link to an online booking page. Leave empty if none."
    )

    class Meta:
        verbose_name = "clinic profile"
        verbose_name_plural = "clinic profile"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "ClinicProfile":
        profile = cls.objects.filter(pk=1).first()
        return profile or cls(**DEMO_PROFILE)

    @property
    def phone_href(self) -> str:
        """The phone number as a tel: link target (digits and a leading + only)."""
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}"

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]

    @property
    def hours_lines(self) -> list[str]:
        return [line.strip() for line in self.hours.splitlines() if line.strip()]


# Clearly fictional values for a new install: a 555-01xx number, an example.com address.
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


class Clinician(models.Model):
    """A person who writes or medically reviews articles."""

    name = models.CharField(max_length=120)
    credentials = models.CharField(
        max_length=120, help_text="Degrees and licences, e.g. MD, board-certified psychiatrist."
    )
    bio = models.TextField(blank=True, help_text="Two or three sentences for patients.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}"
