"""Reading and writing the translated FAQ, glossary and triage data: content/es/faq.md,
content/es/glossary.yaml and content/es/triage.yaml (format: content/es/README.md), for
import_content and export_content.

A file holds many FAQ answers or glossary entries, and each is a translation record of
its own (articles/models/translation_kinds.py). The file's top block (english_sha256,
translated_on, translator, reviewed_on, reviewer, next_review_due) is every item's; an
item that differs says so under its own entry with the same names, and a reviewed item
gives its own `review_fingerprint` (a review covers exactly one item's text). Export
writes the first item's values at the top and each difference under its item, so a file
export wrote comes back byte for byte. The triage data is one record: its file is laid
out as an article translation's front matter.
"""

import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError

from foundation.content_format import ContentError, YAMLProblem, load_yaml, split_front_matter

from .content_files import (
    FAQItem,
    faq_file_text,
    glossary_file_text,
    parse_faq,
    triage_file_text,
)
from .models import (
    FAQEntry,
    FAQEntryTranslation,
    GlossaryTerm,
    GlossaryTermTranslation,
    Language,
    TriageSymptom,
    TriageTranslation,
)
from .translation_files import common_fields, common_lines, plain, quoted

FAQ_FILE = "faq.md"
GLOSSARY_FILE = "glossary.yaml"
TRIAGE_FILE = "triage.yaml"
# The English file each names, from the repository root, when made in the admin.
ENGLISH_FILES = {
    FAQ_FILE: "content/faq.md",
    GLOSSARY_FILE: "content/glossary.yaml",
    TRIAGE_FILE: "content/triage.yaml",
}
COMMON = {
    "language", "translation_of", "english_sha256", "translated_on", "translator",
    "reviewed_on", "reviewer", "next_review_due", "review_fingerprint",
}  # fmt: skip
# What an item may give for itself (its translation_of is its file's, language too).
ITEM_OWN = ("english_sha256", "translated_on", "translator", "reviewed_on", "reviewer")
ITEM_OWN += ("next_review_due", "review_fingerprint")

# The words export writes around the items (Spanish files, as translators laid them out).
FAQ_TITLE = "Preguntas frecuentes"
FAQ_COMMENT = (
    "# Each Spanish question below (a `## ` heading, in this order) and the English question in\n"
    "# content/faq.md whose answer it translates. Answers not listed here have no Spanish "
    "version yet.\n"
)
GLOSSARY_COMMENT = """\
# Glosario en español (Spanish glossary).
#
# Translates the entries of content/glossary.yaml that the Spanish pages link: every term
# whose English form appears in the English text of a page translated under content/es/.
# Each entry: term (Spanish, as shown), translation_of (the English entry's slug, kept so
# /es/glossary/#<slug> pairs with /glossary/#<slug>), also (other spellings and plurals as
# they appear in the Spanish pages), definition (Spanish, plain words, Markdown allowed).
# One Spanish term per concept across all pages (content guide, "Spanish pages").
"""
TRIAGE_COMMENT = """\
# Cuándo pedir ayuda: la lista de síntomas en español (When to get help, in Spanish).
#
# Translates content/triage.yaml. The keys and levels are the English file's, unchanged:
# only `heading` and `text` are translated. A symptom must read the same and send the
# patient to the same place on every Spanish page, exactly as in English.
# Each `text` is written to follow "Busque ayuda si tiene..." / "...si la persona tiene".
"""
TRIAGE_GROUPS = {
    "emergency": "911 o la sala de emergencias ahora",
    "crisis": "Llame al 988 (marque 2 para español) o envíe AYUDA al 988",
    "clinic_today": "La clínica, el mismo día",
    "soon": "Su propio médico o la clínica, pronto",
}


# --- The English files, as export_content writes them now ------------------------------


def english_faq_text() -> str:
    entries = FAQEntry.objects.all()
    return faq_file_text([FAQItem(e.question, e.answer.strip(), e.order) for e in entries])


def english_glossary_text() -> str:
    return glossary_file_text([term.content_state() for term in GlossaryTerm.objects.all()])


def english_triage_text() -> str:
    return triage_file_text([symptom.content_state() for symptom in TriageSymptom.objects.all()])


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- Reading -----------------------------------------------------------------------------


def _items_with_common(path: Path, top: dict, items: list[dict], name: str) -> list[dict]:
    """Each item's own state, with the top block's values unless it gives its own."""
    states = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ContentError(path, f"{name} {number} is not a mapping.")
        if "language" in item:
            raise ContentError(path, f"{name} {number}: the language is the file's.")
        own = {key: item[key] for key in ITEM_OWN if key in item}
        base = {key: value for key, value in top.items() if key != "review_fingerprint"}
        states.append({**common_fields(path, {**base, **own}), "_item": item})
    return states


def _load_yaml(path: Path) -> dict:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except YAMLProblem as problem:
        raise ContentError(path, f"the file is not valid YAML{problem}.") from None
    if not isinstance(data, dict):
        raise ContentError(path, "the file must start with language, translation_of, ….")
    return data


def parse_faq_translations(
    path: Path, english_questions: set[str], symptoms: dict | None = None
) -> list[dict]:
    """content/es/faq.md: one state per answer (FAQEntryTranslation.content_state()'s
    shape), in the file's order, each pairing with an English question."""
    meta, _ = split_front_matter(path, path.read_text(encoding="utf-8"))
    unknown = sorted(set(meta) - COMMON - {"title", "questions"})
    if unknown:
        raise ContentError(path, f"unknown front matter field(s): {', '.join(unknown)}.")
    common_fields(path, meta)  # the top block is checked even if no item uses all of it
    answers = parse_faq(path, symptoms)
    pairs = meta.get("questions") or []
    if not isinstance(pairs, list) or [p.get("es") for p in pairs if isinstance(p, dict)] != [
        a.question for a in answers
    ]:
        raise ContentError(
            path, "questions: must list every `## ` question (es:), in order, with its English one."
        )
    states = []
    for state, answer in zip(
        _items_with_common(path, meta, pairs, "question"), answers, strict=True
    ):
        item = state.pop("_item")
        unknown = sorted(set(item) - {"es", "en"} - set(ITEM_OWN))
        if unknown:
            raise ContentError(path, f"{answer.question!r}: unknown field(s) {', '.join(unknown)}.")
        if item.get("en") not in english_questions:
            raise ContentError(
                path, f"{answer.question!r}: no English question {item.get('en')!r}."
            )
        states.append(
            {"question": answer.question, "en": item["en"], "answer": answer.answer, **state}
        )
    if len({s["en"] for s in states}) != len(states):
        raise ContentError(path, "two Spanish answers translate the same English question.")
    return states


def parse_glossary_translations(path: Path, english_slugs: set[str]) -> list[dict]:
    """content/es/glossary.yaml: one state per entry (GlossaryTermTranslation's shape)."""
    data = _load_yaml(path)
    unknown = sorted(set(data) - COMMON - {"entries"})
    if unknown:
        raise ContentError(path, f"unknown field(s): {', '.join(unknown)}.")
    common_fields(path, data)
    entries = data.get("entries") or []
    if not isinstance(entries, list):
        raise ContentError(path, "entries: must be a list ('- term: ...').")
    states = []
    for state in _items_with_common(path, data, entries, "entry"):
        item = state.pop("_item")
        unknown = sorted(
            set(item) - {"term", "translation_of", "also", "definition"} - set(ITEM_OWN)
        )
        term, slug = str(item.get("term") or "").strip(), item.get("translation_of")
        also, definition = item.get("also") or [], str(item.get("definition") or "").strip()
        if unknown or not term or not definition or not isinstance(also, list):
            raise ContentError(
                path, f"entry {term or '?'!r} needs term, translation_of, also: [...], definition."
            )
        if slug not in english_slugs:
            raise ContentError(path, f"entry {term!r}: no English glossary entry {slug!r}.")
        states.append(
            {
                "term": term,
                "slug": slug,
                "also": [str(f) for f in also],
                "definition": definition,
                **state,
            }
        )
    if len({s["slug"] for s in states}) != len(states):
        raise ContentError(path, "two entries translate the same English entry.")
    return states


def parse_triage_translation(path: Path) -> dict:
    """content/es/triage.yaml: the state of the one triage translation of its language."""
    data = _load_yaml(path)
    unknown = sorted(set(data) - COMMON - {"levels", "symptoms"})
    if unknown:
        raise ContentError(path, f"unknown field(s): {', '.join(unknown)}.")
    levels, symptoms = data.get("levels"), data.get("symptoms")
    try:  # the shape the admin checks too
        TriageTranslation(level_headings=levels, symptom_texts=symptoms).clean()
    except ValidationError as error:
        problems = " ".join(" ".join(messages) for messages in error.message_dict.values())
        raise ContentError(path, problems) from None
    return {
        "levels": [{"key": lv["key"], "heading": str(lv["heading"])} for lv in levels],
        "symptoms": [
            {"key": s["key"], "level": s["level"], "text": str(s["text"])} for s in symptoms
        ],
        **common_fields(path, data),
    }


# --- Writing -----------------------------------------------------------------------------


def _value(name: str, value) -> str:
    if value is None:
        return "null"
    return quoted(value) if name in ("translator", "reviewer") else str(value)


def _own_lines(state: dict, top: dict, indent: str = "    ") -> list[str]:
    """An item's values that differ from the top block's, and its review's fingerprint."""
    lines = [
        f"{indent}{name}: {_value(name, state[name])}"
        for name in ITEM_OWN[:-1]
        if state[name] != top[name]
    ]
    if state["review_fingerprint"]:
        lines.append(f"{indent}review_fingerprint: {state['review_fingerprint']}")
    return lines


def faq_translation_text(states: list[dict]) -> str:
    top = states[0]
    lines = ["---", f"title: {FAQ_TITLE}", *common_lines(top, review_fingerprint=False)]
    lines += [FAQ_COMMENT.rstrip("\n"), "questions:"]
    for state in states:
        lines += [f"  - es: {quoted(state['question'])}", f"    en: {quoted(state['en'])}"]
        lines += _own_lines(state, top)
    blocks = [f"## {s['question']}\n\n{s['answer'].strip()}\n" for s in states]
    return "\n".join(lines) + "\n---\n\n" + "\n".join(blocks)


def glossary_translation_text(states: list[dict]) -> str:
    top = states[0]
    lines = [GLOSSARY_COMMENT.rstrip("\n"), "", *common_lines(top, review_fingerprint=False)]
    lines += ["", "entries:"]
    for number, state in enumerate(states):
        also = ", ".join(plain(form, flow=True) for form in state["also"])
        if number:
            lines.append("")
        lines += [
            f"  - term: {plain(state['term'])}",
            f"    translation_of: {state['slug']}",
            f"    also: [{also}]",
            f"    definition: {quoted(state['definition'])}",
            *_own_lines(state, top),
        ]
    return "\n".join(lines) + "\n"


def triage_translation_text(state: dict) -> str:
    lines = [TRIAGE_COMMENT.rstrip("\n"), "", *common_lines(state), "", "levels:"]
    for level in state["levels"]:
        lines += [f"  - key: {level['key']}", f"    heading: {quoted(level['heading'])}"]
    lines += ["", "symptoms:"]
    previous = None
    for symptom in state["symptoms"]:
        if symptom["level"] != previous:
            if previous is not None:
                lines.append("")
            lines.append(f"  # {TRIAGE_GROUPS[symptom['level']]}")
            previous = symptom["level"]
        lines += [
            f"  - key: {symptom['key']}",
            f"    level: {symptom['level']}",
            f"    text: {quoted(symptom['text'])}",
        ]
    return "\n".join(lines) + "\n"


def write_translation_sets(content_dir: Path) -> int:
    """export_content's part: the FAQ, glossary and triage translations of each language
    to content/<language>/; how many records were written."""
    written = 0
    for language in Language.values:
        folder = content_dir / language
        related = ("reviewer",)
        faq = FAQEntryTranslation.objects.filter(language=language).select_related(
            "entry", *related
        )
        glossary = sorted(
            GlossaryTermTranslation.objects.filter(language=language).select_related(
                "glossary_term", *related
            ),
            key=lambda t: t.glossary_term.slug,  # in Python: databases sort hyphens apart
        )
        triage = TriageTranslation.objects.filter(language=language).select_related(*related)
        for name, records, text in (
            (FAQ_FILE, list(faq), faq_translation_text),
            (GLOSSARY_FILE, glossary, glossary_translation_text),
            (TRIAGE_FILE, list(triage), lambda states: triage_translation_text(states[0])),
        ):
            if not records:
                continue
            states = [
                {**r.content_state(), "translation_of": r.translation_of or ENGLISH_FILES[name]}
                for r in records
            ]
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text(states), encoding="utf-8")
            written += len(records)
    return written
