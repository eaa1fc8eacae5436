"""The first synonyms (staff add more in the admin under Patient education › Search synonyms)."""

from django.db import migrations

SYNONYMS = [
    "Spravato = esketamine",
    "IV = infusion",
    "shot = injection = IM",
    "cost = price = insurance",
    "KAP = ketamine-assisted psychotherapy",
]


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("articles", "SearchSynonym")
    for terms in SYNONYMS:
        SearchSynonym.objects.get_or_create(terms=terms)


def unseed(apps, schema_editor):
    apps.get_model("articles", "SearchSynonym").objects.filter(terms__in=SYNONYMS).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_search_engine")]
    operations = [migrations.RunPython(seed, unseed)]
