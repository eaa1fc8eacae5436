"""import_content's part for the translations of FAQ answers, glossary entries, the
triage data and the clinic's pages (content/es/faq.md, glossary.yaml, triage.yaml,
pages/*.md; the articles' part is in the command itself).

Each file is checked whole before anything is written (`parse_translations`), as English
files are; then each item is created or updated by the command's own `sync` (an item
edited in the admin since its last import is kept unless --force is given). A review is
recorded only if it covers exactly the item's text (`checked_review`), and an item whose
english_sha256 names an English file version not in content/ comes in as needing an
update (clinic.translation.known_english_text).
"""

from dataclasses import dataclass, field
from pathlib import Path

from clinic.models import Page, PageTranslation
from clinic.translation import known_english_text

from .models import (
    FAQEntry,
    FAQEntryTranslation,
    GlossaryTerm,
    GlossaryTermTranslation,
    TriageTranslation,
    english_triage,
)
from .translation_files import (
    CONTENT_PREFIX,
    PAGES_FOLDER,
    apply_translation_state,
    english_file_for,
    parse_translation_dir,
    sha256_of,
)
from .translation_sets import (
    FAQ_FILE,
    GLOSSARY_FILE,
    TRIAGE_FILE,
    parse_faq_translations,
    parse_glossary_translations,
    parse_triage_translation,
)

# The front matter fields that together say "a clinician reviewed this text".
REVIEW_CLAIM = ("reviewer", "reviewed_on", "next_review_due", "review_fingerprint")


@dataclass
class Translations:
    """Every translation file but the articles', parsed: (name, state) pairs."""

    faq: list[dict] = field(default_factory=list)
    glossary: list[dict] = field(default_factory=list)
    triage: dict | None = None
    pages: dict[Path, dict] = field(default_factory=dict)

    def by_name(self) -> dict[str, dict]:
        """Each state under the name import_content reports it by."""
        named = {f"FAQ translation {s['question']!r}": s for s in self.faq}
        named |= {f"glossary translation {s['slug']}": s for s in self.glossary}
        if self.triage is not None:
            named["triage translation"] = self.triage
        return named | {f"page translation {p.name}": s for p, s in self.pages.items()}


def parse_translations(dir: Path, faq: list, glossary: list, pages: dict, keys) -> Translations:
    """The Spanish FAQ, glossary, triage and pages in `dir`/es/, checked against the English
    being imported (`faq`: FAQItems, `glossary`: states, `pages`: path -> state) and
    what is stored already. Raises ContentError naming the file."""
    spanish = dir / "es"
    found = Translations()
    if (spanish / FAQ_FILE).exists():
        questions = {item.question for item in faq}
        questions |= set(FAQEntry.objects.values_list("question", flat=True))
        found.faq = parse_faq_translations(spanish / FAQ_FILE, questions, keys)
    if (spanish / GLOSSARY_FILE).exists():
        slugs = {state["slug"] for state in glossary}
        slugs |= set(GlossaryTerm.objects.values_list("slug", flat=True))
        found.glossary = parse_glossary_translations(spanish / GLOSSARY_FILE, slugs)
    if (spanish / TRIAGE_FILE).exists():
        found.triage = parse_triage_translation(spanish / TRIAGE_FILE)
    page_slugs = {state["slug"] for state in pages.values()}
    page_slugs |= set(Page.objects.values_list("slug", flat=True))
    found.pages = parse_translation_dir(dir / PAGES_FOLDER, page_slugs, noun="page")
    return found


def claim_refusal(state: dict, text_fingerprint: str) -> str | None:
    """Why a translation file's review cannot be recorded, or None (no claim, or a claim
    covering exactly this text)."""
    if not any(state[name] for name in REVIEW_CLAIM):
        return None
    if (
        state["reviewer"]
        and state["reviewed_on"]
        and state["review_fingerprint"] == text_fingerprint
    ):
        return None
    return (
        "it needs a reviewer, a review date and the review_fingerprint of exactly this text. "
        "It comes in as not reviewed."
    )


class TranslationImporter:
    """Imports `Translations` through the import_content command `command` (its sync,
    its warnings and its list of outdated translations)."""

    def __init__(self, command, dir: Path, force: bool, clinicians: dict, english) -> None:
        self.command, self.dir, self.force = command, dir, force
        self.clinicians = clinicians
        # The English being imported: FAQItems, glossary states, triage states, pages.
        self.english = english

    def run(self, found: Translations) -> None:
        for state in found.faq:
            self.faq(state)
        for state in found.glossary:
            self.glossary(state)
        if found.triage is not None:
            self.triage(found.triage)
        for path, state in found.pages.items():
            self.page(path, state)

    def file_matches(self, state: dict) -> bool:
        return sha256_of(english_file_for(self.dir, state)) == state["english_sha256"]

    def sync(self, name: str, model, current, state: dict, english: dict | None, fill) -> None:
        """Check the review claim on the filled record, find the English text the state
        translates, then create or update the record by the command's sync."""
        text = known_english_text(
            english, self.file_matches(state), current, state["english_sha256"],
            model.TRANSLATED_FIELDS,
        )  # fmt: skip
        if not text:
            self.command.outdated.append(name)
        refusal = claim_refusal(state, fill(model(), state, {}).own_fingerprint())
        if refusal:
            self.command.warn_review_not_recorded(name, refusal)
            state = {**state, **dict.fromkeys(REVIEW_CLAIM)}

        def filled(record):
            return fill(record or model(), state, text)

        self.command.sync(name, current, state, self.force, filled)

    def common(self, record, state: dict, english_text: dict, source: str):
        reviewer = self.clinicians.get(state["reviewer"]) if state["reviewer"] else None
        return record.apply_common_state(state, english_text, reviewer, f"content/es/{source}")

    def faq(self, state: dict) -> None:
        entry = FAQEntry.objects.get(question=state["en"])
        english = {i.question: i for i in self.english["faq"]}.get(state["en"])
        english_text = english and {"question": english.question, "answer": english.answer}

        def fill(record, state, text):
            record.entry = entry
            record.question, record.answer = state["question"], state["answer"]
            return self.common(record, state, text, FAQ_FILE)

        current = entry.translations.filter(language=state["language"]).first()
        name = f"FAQ translation {state['question']!r}"
        self.sync(name, FAQEntryTranslation, current, state, english_text, fill)

    def glossary(self, state: dict) -> None:
        term = GlossaryTerm.objects.get(slug=state["slug"])
        english = {s["slug"]: s for s in self.english["glossary"]}.get(state["slug"])
        english_text = english and {
            "term": english["term"],
            "also": "\n".join(english["also"]),
            "definition": english["definition"],
        }

        def fill(record, state, text):
            record.glossary_term = term
            record.term, record.also = state["term"], "\n".join(state["also"])
            record.definition = state["definition"]
            return self.common(record, state, text, GLOSSARY_FILE)

        current = term.translations.filter(language=state["language"]).first()
        name = f"glossary translation {state['slug']}"
        self.sync(name, GlossaryTermTranslation, current, state, english_text, fill)

    def triage(self, state: dict) -> None:
        symptoms = self.english["triage"]
        english_text = english_triage(symptoms) if symptoms is not None else None

        def fill(record, state, text):
            record.level_headings, record.symptom_texts = state["levels"], state["symptoms"]
            return self.common(record, state, text, TRIAGE_FILE)

        current = TriageTranslation.objects.filter(language=state["language"]).first()
        self.sync("triage translation", TriageTranslation, current, state, english_text, fill)

    def page(self, path: Path, state: dict) -> None:
        page = Page.objects.get(slug=state["slug"])
        current = page.translations.filter(language=state["language"]).first()
        english = self.english["pages"].get(english_file_for(self.dir, state))
        english_text = english and {n: english[n] for n in PageTranslation.TRANSLATED_FIELDS}
        source = f"{CONTENT_PREFIX}{(PAGES_FOLDER / path.name).as_posix()}"

        def fill(record, state, text):
            record.page = page
            reviewer = self.clinicians.get(state["reviewer"]) if state["reviewer"] else None
            return apply_translation_state(record, state, text, reviewer, source)

        name = f"page translation {path.name}"
        self.sync(name, PageTranslation, current, state, english_text, fill)


def check_reviewers(found: Translations, resolve) -> dict:
    """The clinicians the files name as reviewers (`resolve`: import_content's
    resolve_clinicians, which stops the import naming an unknown one)."""
    return resolve({Path(name): state for name, state in found.by_name().items()}, ("reviewer",))
