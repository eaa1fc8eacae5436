"""Closing the loop (issue 25): a search that found no page becomes a synonym of a word the
site uses, in one step from /admin/insights/ (insights/admin_views.py shows the form)."""

from django import forms
from django.core.exceptions import ValidationError

from .engine import search
from .models import SearchSynonym
from .query import MAX_QUERY_LENGTH, synonym_name, synonym_table
from .text import stem, words_of

SITE_WORDS_MAX_LENGTH = 80


class GapSynonymForm(forms.Form):
    """One search that found nothing (`query`, the row's own text) and the word or phrase
    the site uses for what it asks (`site_words`). Saved as a new synonym group
    "site words = search", which sits beside any group already naming the site's word (a
    search for any name finds the names of every group it is in)."""

    query = forms.CharField(max_length=MAX_QUERY_LENGTH, widget=forms.HiddenInput)
    site_words = forms.CharField(
        label="Add as a synonym of",
        max_length=SITE_WORDS_MAX_LENGTH,
        error_messages={
            "required": "Please enter the word or phrase the site uses for this.",
            "max_length": (
                f"Please enter at most {SITE_WORDS_MAX_LENGTH} characters: the site's word "
                "or short phrase."
            ),
        },
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        query, site_words = cleaned.get("query"), cleaned.get("site_words")
        if not query or not site_words:
            if "query" in self.errors:
                self.add_error("site_words", "This search can no longer be read: reload the page.")
            return cleaned
        try:
            name = synonym_name(query)
        except ValueError as error:
            self.add_error("site_words", str(error))
            return cleaned
        site = " ".join(words_of(site_words))
        if not site:
            self.add_error("site_words", "Please enter a word or phrase in letters.")
            return cleaned
        name_stems = tuple(stem(w) for w in name.split())
        site_stems = tuple(stem(w) for w in site.split())
        if name_stems == site_stems:
            self.add_error(
                "site_words", "That is the search itself: please enter the word the site uses."
            )
        elif tuple(site.split()) in synonym_table().get(name_stems, []):
            self.add_error("site_words", f"“{name}” already finds pages about “{site}”.")
        elif not search(site, exact=True).answered:
            self.add_error(
                "site_words",
                f"No published page uses “{site}”. Please enter a word or phrase from an "
                "article or answer, such as one in its title.",
            )
        else:
            self.synonym = SearchSynonym(terms=f"{site} = {name}")
            cleaned["name"], cleaned["site"] = name, site
            try:
                self.synonym.full_clean()  # the model's own rules (a new group, not too long)
            except ValidationError as error:
                for message in error.messages:
                    self.add_error("site_words", message)
        return cleaned

    def save(self) -> SearchSynonym:
        self.synonym.save()
        return self.synonym
