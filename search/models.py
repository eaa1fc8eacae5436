"""What staff keep for search (synonyms, best bets) and the vocabulary typos are corrected
from. The tables keep the names they had when these models were part of `articles`
(migrations: articles 0020 and search 0001 moved them without touching a row)."""

from django.core.exceptions import ValidationError
from django.db import models

from articles.models import Article


class SearchSynonym(models.Model):
    """Words patients use for the same thing. A search for any of them finds them all."""

    terms = models.CharField(
        max_length=300,
        unique=True,
        help_text=(
            "Two or more words or phrases that mean the same, separated by “=”. "
            "For example: Spravato = esketamine"
        ),
    )

    class Meta:
        db_table = "articles_searchsynonym"
        ordering = ["terms"]
        verbose_name = "search synonym"

    def __str__(self) -> str:
        return self.terms

    def term_list(self) -> list[str]:
        return [term.strip() for term in self.terms.split("=") if term.strip()]

    def clean(self) -> None:
        if len(self.term_list()) < 2:
            raise ValidationError(
                {"terms": "Give at least two words or phrases, separated by “=”."}
            )


class SearchPromotion(models.Model):
    """A "best bet": this article is shown first when a visitor searches for this query."""

    query = models.CharField(
        max_length=200,
        help_text=(
            "What a visitor types, e.g. “price”. Capitals, punctuation and small words "
            "like “the” or “how” do not matter."
        ),
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="search_promotions")
    sort_order = models.PositiveIntegerField(
        default=0, help_text="With several promoted articles for one query, lower comes first."
    )

    class Meta:
        db_table = "articles_searchpromotion"
        ordering = ["query", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["query", "article"], name="one_promotion_per_query")
        ]
        verbose_name = "promoted search result"

    def __str__(self) -> str:
        return f"{self.query} → {self.article}"


class SearchWord(models.Model):
    """Every word the published site uses, for correcting typos in searches. Rebuilt by
    search/index.py after each save; never edited by hand."""

    word = models.CharField(max_length=60, unique=True)
    documents = models.PositiveIntegerField(help_text="How many articles and answers use it.")

    class Meta:
        db_table = "articles_searchword"
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word
