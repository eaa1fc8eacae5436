"""Load content/ (when-to-get-help symptoms, articles, FAQ, glossary and pages, and the
translated articles in content/es/articles/) into the database.

Safe to run again and again: what already matches is left alone, and an article or
FAQ entry edited in the admin since its last import is kept unless --force is given.
A malformed file stops the whole import before anything is written.

With REQUIRE_MEDICAL_REVIEW on, a file without a review on record (reviewer and
reviewed_on) never publishes anything: a new or draft article comes in as a draft
awaiting review, and a published article is left alone if the file would give it new
unreviewed text or erase the review recorded in the admin. New text for a live FAQ
answer, glossary entry or page (content without a review record) waits as a change for a
clinical reviewer, as an Editor's does (articles/review/); content new to the database
comes in as the file says (content/ is the reviewed source a new install starts from).

A translation records the English text it was made from (articles/models/translation.py):
the English file it names, if that file still has the english_sha256 it gives; if not,
it comes in marked as needing an update. A translation whose slug names no English
article stops the import, like any malformed file.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles import review
from articles.citations import SourcesFileError, load_sources, sources_path, uses_old_cards
from articles.content_files import (
    FAQItem,
    as_date,
    parse_article_dir,
    parse_faq,
    parse_glossary,
    parse_triage,
)
from articles.models import (
    Article,
    ArticleTranslation,
    CitedSource,
    FAQEntry,
    GlossaryTerm,
    Status,
    TriageSymptom,
    fingerprint,
    pages_using_symptom,
    rerender_care_cards,
    reviewed_text_fingerprint,
    text_fingerprint,
)
from articles.signals import saving_many
from articles.translation_files import (
    ARTICLES_FOLDER,
    apply_translation_state,
    english_file_for,
    english_text_of,
    parse_translation_dir,
)
from articles.translation_import import (
    REVIEW_CLAIM,
    TranslationImporter,
    check_reviewers,
    claim_refusal,
    parse_translations,
)
from clinic.content_files import parse_page_dir
from clinic.models import Clinician, Page
from foundation.content_format import ContentError
from foundation.content_version import invalidate

IMPORT_REASON = "Imported from content/"


class Command(BaseCommand):
    help = (
        "Load the when-to-get-help symptoms, articles, FAQ, glossary and trust pages from "
        "content/ into the database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dir", type=Path, default=settings.BASE_DIR / "content")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite articles and FAQ entries edited in the admin since the last import.",
        )

    def handle(self, *args, dir: Path, force: bool, **options) -> None:
        try:
            # Checked first: every article's citations are checked against it.
            sources = load_sources(sources_path())
        except SourcesFileError as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        try:
            # The symptoms first: every care card is checked against the keys being imported.
            triage_path = dir / "triage.yaml"
            triage = parse_triage(triage_path) if triage_path.exists() else None
            keys = {state["key"]: state for state in triage} if triage is not None else None
            glossary_path = dir / "glossary.yaml"
            glossary = parse_glossary(glossary_path) if glossary_path.exists() else []
            articles = parse_article_dir(dir / "articles", sources, keys)
            faq = parse_faq(dir / "faq.md", keys) if (dir / "faq.md").exists() else []
            pages = parse_page_dir(dir / "pages")
            clinicians = resolve_clinicians(articles)
            english_slugs = {state["slug"] for state in articles.values()}
            english_slugs |= set(Article.objects.values_list("slug", flat=True))
            translations = parse_translation_dir(
                dir / ARTICLES_FOLDER, english_slugs, sources, keys
            )
            translations = {
                path: self.checked_translation_review(path, state)
                for path, state in translations.items()
            }
            clinicians |= resolve_clinicians(translations, roles=("reviewer",))
            # The FAQ, glossary, triage and pages in Spanish (articles/translation_import.py).
            others = parse_translations(dir, faq, glossary, pages, keys)
            clinicians |= check_reviewers(others, resolve_clinicians)
        except ContentError as error:
            raise CommandError(f"Nothing was imported. {error}") from None

        self.changes = 0
        self.held: list[str] = []
        self.refused: list[str] = []
        self.waiting: list[str] = []
        self.outdated: list[str] = []
        # Listeners put off what each save would repeat (search: one vocabulary rebuild).
        with saving_many(), transaction.atomic():
            if triage is not None:
                self.import_triage(triage, force)
            # The sources next: articles list them when saved.
            for key, source in sources.items():
                self.import_source(key, source, force)
            # The glossary next: articles link the first use of each term when saved (a
            # term's save renders the articles already stored again: GlossaryTerm.save).
            for state in glossary:
                self.import_glossary_term(state, force)
            for path, state in articles.items():
                state = self.checked_review(path, state, clinicians)
                self.import_article(state, clinicians, force)
            for path, state in translations.items():
                self.import_translation(dir, path, state, articles, clinicians, force)
            for item in faq:
                self.import_faq_item(item, force)
            for state in pages.values():
                self.import_page(state, force)
            english = {"faq": faq, "glossary": glossary, "triage": triage, "pages": pages}
            TranslationImporter(self, dir, force, clinicians, english).run(others)
            # Every card says what the symptoms and the clinic profile say now, whether or
            # not its own page changed.
            rerendered = rerender_care_cards()
            if rerendered:
                self.stdout.write(f"Updated the care cards on {rerendered} pages.")

        old_cards = [state["slug"] for state in articles.values() if uses_old_cards(state["body"])]
        old_cards += [f"FAQ {item.question!r}" for item in faq if uses_old_cards(item.answer)]
        if old_cards:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(old_cards)} page(s) still use free-text !!! emergency or !!! urgent "
                    "cards, which the admin no longer accepts: "
                    + ", ".join(old_cards)
                    + ". Change each to a !!! when-to-get-help card listing symptom keys "
                    "(content/triage.yaml)."
                )
            )
        if self.changes == 0:
            self.stdout.write(
                f"Nothing to change: {len(articles)} articles, {len(faq)} FAQ entries, "
                f"{len(glossary)} glossary terms and {len(pages)} pages already match content/."
            )
        if self.held:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(self.held)} article(s) came in as drafts awaiting clinical review "
                    "(no reviewer and review date in the file; REQUIRE_MEDICAL_REVIEW is on): "
                    + ", ".join(self.held)
                    + ". A clinical reviewer publishes them in the admin after reviewing."
                )
            )
        if self.waiting:
            self.stdout.write(
                self.style.WARNING(
                    f"Waiting for clinical review: {len(self.waiting)} item(s) whose file "
                    "changes text patients read now: "
                    + ", ".join(self.waiting)
                    + ". A clinical reviewer approves each under Patient education › Changes "
                    "waiting for clinical review; until then the site keeps the live text."
                )
            )
        if self.outdated:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(self.outdated)} translation(s) name an English file version that is "
                    "not the one in content/ (english_sha256 differs): "
                    + ", ".join(self.outdated)
                    + ". They come in marked as needing an update; staff see them under "
                    "Patient education › Article translations › Translations to update "
                    "(every kind of translation is listed there)."
                )
            )
        if self.refused:
            self.stdout.write(
                self.style.WARNING(
                    f"Not imported: {len(self.refused)} published article(s) whose file has no "
                    "review on record (importing would put unreviewed text on the site or "
                    "erase the review recorded in the admin): "
                    + ", ".join(self.refused)
                    + ". Record the review in the file (reviewer, reviewed_on), export the "
                    "admin's version with export_content, or make the change in the admin so "
                    "a clinical reviewer can approve it."
                )
            )

    def report(self, action: str, name: str) -> None:
        if action in ("created", "updated"):
            self.changes += 1
        if action == "skipped":
            self.stdout.write(
                self.style.WARNING(
                    f"Skipped {name}: edited in the admin since the last import "
                    "(use --force to overwrite)."
                )
            )
        elif action != "unchanged":
            self.stdout.write(self.style.SUCCESS(f"{action.capitalize()} {name}"))

    def sync(self, name: str, current, state: dict, force: bool, fill) -> None:
        """Create or update one record from its content/ state, unless it was edited in
        the admin since the last import. `fill(record)` copies the state onto a record."""
        action = decide(current, state, force)
        if (
            action == "updated"
            and settings.REQUIRE_MEDICAL_REVIEW
            and current_is_text(current, state)
        ):
            outcome = review.submit(fill(current), None)  # nobody who may publish: it waits
            if outcome.change is not None:
                self.waiting.append(name)
            return
        if action in ("created", "updated"):
            record = fill(current)
            record.source_hash = fingerprint(state)
            record._change_reason = IMPORT_REASON
            record.save()
        elif action == "unchanged" and current.source_hash != fingerprint(state):
            # Same content reached another way (e.g. export_content): remember it as imported.
            type(current).objects.filter(pk=current.pk).update(source_hash=fingerprint(state))
        self.report(action, name)

    def checked_review(self, path: Path, state: dict, clinicians: dict) -> dict:
        """The state, with its review only if the file's text is the text reviewed.

        A file claims a review with a reviewer, a review date and the fingerprint of the
        text reviewed (export_content writes all three, and only for a current review).
        If the text is not the one the fingerprint names (it was changed after the
        review), or part of the claim is missing, the review is not recorded: the
        article comes in as not reviewed, and the output names the file and says why.
        """
        claim = [state[name] for name in REVIEW_CLAIM]
        if not any(claim):
            return state
        reason = review_refusal(state, clinicians)
        if reason is None:
            return state
        self.stdout.write(
            self.style.WARNING(
                f"Review not recorded for {path.name}: {reason} It comes in as not "
                "reviewed; a clinical reviewer can review it in the admin."
            )
        )
        return {**state, **dict.fromkeys(REVIEW_CLAIM)}

    def checked_translation_review(self, path: Path, state: dict) -> dict:
        """The state, with its review only if it covers exactly this Spanish text (as
        checked_review does for English files)."""
        refusal = claim_refusal(state, text_fingerprint(state))
        if refusal is None:
            return state
        self.warn_review_not_recorded(path.name, refusal)
        return {**state, **dict.fromkeys(REVIEW_CLAIM)}

    def warn_review_not_recorded(self, name: str, reason: str) -> None:
        self.stdout.write(self.style.WARNING(f"Review not recorded for {name}: {reason}"))

    def import_translation(
        self, dir: Path, path: Path, state: dict, english: dict, clinicians: dict, force: bool
    ) -> None:
        article = Article.objects.get(slug=state["slug"])
        current = article.translations.filter(language=state["language"]).first()
        english_file = english.get(english_file_for(dir, state))
        english_text = english_text_of(english_file, state, dir, current)
        if not english_text:
            self.outdated.append(path.name)
        reviewer = clinicians.get(state["reviewer"]) if state["reviewer"] else None
        source_file = f"content/{ARTICLES_FOLDER / path.name}"

        def fill(record: ArticleTranslation | None) -> ArticleTranslation:
            record = record or ArticleTranslation(article=article)
            return apply_translation_state(record, state, english_text, reviewer, source_file)

        self.sync(f"translation {path.name}", current, state, force, fill)

    def import_triage(self, states: list[dict], force: bool) -> None:
        """The symptoms in the file, in its order; a symptom no longer in it is deleted,
        unless a card in the database still lists it (then nothing is imported)."""
        listed = {state["key"] for state in states}
        for symptom in TriageSymptom.objects.exclude(key__in=listed):
            users = pages_using_symptom(symptom.key)
            if users:
                raise CommandError(
                    f"Nothing was imported. The symptom {symptom.key!r} is not in "
                    f"triage.yaml any more, but care cards on these pages list it: "
                    f"{', '.join(users)}. Change those cards first, or keep the symptom."
                )
            symptom.delete()
            self.changes += 1
            self.stdout.write(self.style.SUCCESS(f"Deleted symptom {symptom.key}"))
        for position, state in enumerate(states, start=1):
            symptom = TriageSymptom.objects.filter(key=state["key"]).first()

            def fill(record: TriageSymptom | None, state=state) -> TriageSymptom:
                record = record or TriageSymptom()
                record.key, record.level, record.text = state["key"], state["level"], state["text"]
                return record

            self.sync(f"symptom {state['key']}", symptom, state, force, fill)
            # The place in the list follows the file (not part of what an editor edits).
            # /when-to-get-help/ lists symptoms in this order; update() sends no post_save.
            moved = TriageSymptom.objects.filter(key=state["key"]).exclude(order=position)
            if moved.update(order=position):
                invalidate()

    def import_article(self, state: dict, clinicians: dict, force: bool) -> None:
        article = Article.objects.filter(slug=state["slug"]).first()
        unreviewed = not (state["reviewer"] and state["reviewed_on"])
        if settings.REQUIRE_MEDICAL_REVIEW and unreviewed and state["status"] == Status.PUBLISHED:
            if article is None or article.status != Status.PUBLISHED:
                state = {**state, "status": Status.DRAFT}
                self.held.append(state["slug"])
            elif article.review_is_current or (
                reviewed_text_fingerprint(article) != reviewed_text_fingerprint(state)
            ):
                # New unreviewed text, or a review recorded in the admin the file would erase.
                self.refused.append(state["slug"])
                return

        def fill(record: Article | None) -> Article:
            return apply_article_state(record or Article(), state, clinicians)

        self.sync(f"article {state['slug']}", article, state, force, fill)

    def import_faq_item(self, item: FAQItem, force: bool) -> None:
        entry = FAQEntry.objects.filter(question=item.question).first()

        def fill(record: FAQEntry | None) -> FAQEntry:
            record = record or FAQEntry(question=item.question)
            record.answer, record.order = item.answer, item.order
            return record

        self.sync(f"FAQ entry {item.question!r}", entry, item.state(), force, fill)

    def import_source(self, key: str, source, force: bool) -> None:
        stored = CitedSource.objects.filter(key=key).first()
        state = {"key": key, "text": source.text, "url": source.url}

        def fill(record: CitedSource | None) -> CitedSource:
            record = record or CitedSource(key=key)
            record.text, record.url = source.text, source.url
            return record

        self.sync(f"source {key}", stored, state, force, fill)

    def import_glossary_term(self, state: dict, force: bool) -> None:
        term = GlossaryTerm.objects.filter(slug=state["slug"]).first()

        def fill(record: GlossaryTerm | None) -> GlossaryTerm:
            record = record or GlossaryTerm()
            record.term, record.slug = state["term"], state["slug"]
            record.also = "\n".join(state["also"])
            record.definition = state["definition"]
            return record

        self.sync(f"glossary term {state['slug']}", term, state, force, fill)

    def import_page(self, state: dict, force: bool) -> None:
        page = Page.objects.filter(slug=state["slug"]).first()

        def fill(record: Page | None) -> Page:
            record = record or Page()
            for name, value in state.items():
                setattr(record, name, value)
            return record

        self.sync(f"page {state['slug']}", page, state, force, fill)


def current_is_text(record, state: dict) -> bool:
    """Live content without drafts under the review rule (articles have their own rule),
    whose change goes through review.submit (it waits while the item is live). A
    translation whose file carries a review of exactly its text (checked before this:
    a claim that does not cover the text is dropped) comes in with it, as an English
    article's file with its review does."""
    spec = review.registry.spec_for(record)
    if spec is None or spec.drafts:
        return False
    return not (spec.records_review and state.get("review_fingerprint"))


def decide(current, state: dict, force: bool) -> str:
    """created, updated, unchanged or skipped (edited in the admin since last import)."""
    if current is None:
        return "created"
    current_state = current.content_state()
    if current_state == state:
        return "unchanged"
    edited_in_admin = fingerprint(current_state) != current.source_hash
    if edited_in_admin and not force:
        return "skipped"
    return "updated"


def review_refusal(state: dict, clinicians: dict) -> str | None:
    """Why a file's review cannot be recorded, in plain words, or None if it can.

    Checked with Article.review_is_current on the article the file describes: the same
    test the article's page uses for its "Medically reviewed" label.
    """
    if not state["reviewer"]:
        return "it gives a review date but no reviewer."
    if not state["reviewed_on"]:
        return f"it names {state['reviewer']} as reviewer but gives no review date."
    if not state["review_fingerprint"]:
        return (
            "it has no review_fingerprint, so nothing shows which text was reviewed "
            "(export_content writes one for every current review)."
        )
    article = apply_article_state(Article(), state, clinicians)
    if not article.review_is_current:
        return (
            f"its text has changed since {state['reviewer']} reviewed it on "
            f"{state['reviewed_on']} (it does not match the review_fingerprint)."
        )
    return None


def resolve_clinicians(
    articles, roles: tuple[str, ...] = ("author", "reviewer")
) -> dict[str, Clinician]:
    """Authors and reviewers are named in the files (`articles`: path -> state); they must
    already exist."""
    found: dict[str, Clinician] = {}
    for path, state in articles.items():
        for role in roles:
            name = state[role]
            if name and name not in found:
                clinician = Clinician.objects.filter(name=name).first()
                if clinician is None:
                    raise ContentError(
                        path,
                        f"the {role} {name!r} is not a clinician; add them in the admin first.",
                    )
                found[name] = clinician
    return found


def apply_article_state(article: Article, state: dict, clinicians: dict) -> Article:
    for name in ("title", "slug", "summary", "topic", "order", "status", "body"):
        setattr(article, name, state[name])
    article.author = clinicians.get(state["author"]) if state["author"] else None
    article.reviewer = clinicians.get(state["reviewer"]) if state["reviewer"] else None
    article.reviewed_on = as_date(state["reviewed_on"])
    article.next_review_due = as_date(state["next_review_due"])
    article.text_updated_on = as_date(state.get("updated"))
    # The file records a review of exactly this text (checked_review refused any other),
    # or none.
    reviewed = article.reviewer is not None and article.reviewed_on is not None
    article.reviewed_hash = (state.get("review_fingerprint") or "") if reviewed else ""
    return article
