"""Synonyms, best bets and the vocabulary move to the search app (issue 25): only Django's
idea of where the models live changes here. Their tables stay as they are, rows and all;
search's migration 0001_models_from_articles takes them over under the same names."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_triage_symptom_history")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SearchPromotion"),
                migrations.DeleteModel(name="SearchSynonym"),
                migrations.DeleteModel(name="SearchWord"),
            ],
            database_operations=[],
        )
    ]
