"""Crisis-aware inquiries: a message that suggests a crisis is stored exactly as sent,
flagged urgent for staff (and e-mailed whatever else is true of it), and answered with the
emergency care card; the phrases live in content/crisis-phrases.yaml (clinic/crisis.py), and
the form's script matches them exactly as the server does.

This file: the phrases and the script. The contact form's side is
test_crisis_contact_form.py."""

import json
import re
import shutil
import subprocess

import pytest
from django.conf import settings

from clinic.crisis import (
    CrisisPhrasesError,
    check_phrases_file,
    load_phrases,
    normalize,
    parse_phrases,
    phrases_for_script,
    suggests_crisis,
)

# --- The phrases ---------------------------------------------------------------------------

# (group of content/crisis-phrases.yaml, message, is it a crisis?). Every group of the file
# has at least one case; "everyday" cases are near-misses no phrase of the file names.
CASES = [
    # Saying it in plain words.
    ("crisis/naming_it", "Some days I think about suicide.", True),
    ("crisis/naming_it", "I have been feeling SUICIDAL since March.", True),
    ("crisis/naming_it", "Sometimes I want to kill myself", True),
    ("crisis/naming_it", "I thought about killing myself last week.", True),
    ("crisis/naming_it", "I want to end my life", True),
    ("crisis/naming_it", "I just want to die", True),
    ("crisis/naming_it", "I wish I was dead", True),
    ("crisis/naming_it", "Honestly i wish i were dead", True),
    (
        "crisis/naming_it",
        "Everyone would be better off dead without me... I mean I'd be better off dead.",
        True,
    ),  # noqa: E501
    ("crisis/naming_it", "I want to take my own life", True),
    # Hurried and online spellings.
    ("crisis/online_and_misspelt", "i wanna die", True),
    ("crisis/online_and_misspelt", "i dont want to live anymore", True),  # no apostrophe
    (
        "crisis/online_and_misspelt",
        "I don’t want to be alive anymore",
        True,
    ),  # curly, as phones type
    ("crisis/online_and_misspelt", "honestly i might kms", True),
    ("crisis/online_and_misspelt", "thinking about how to unalive myself", True),
    ("crisis/online_and_misspelt", "i want to k i l l myself", True),  # spaced out
    ("crisis/online_and_misspelt", "i want to killmyself", True),  # run together
    ("crisis/online_and_misspelt", "wanttodie", True),
    ("crisis/online_and_misspelt", "thinking about su1cide", True),  # a digit for a letter
    ("crisis/online_and_misspelt", "gonna k1ll myself", True),
    ("crisis/online_and_misspelt", "$uicidal again", True),
    ("crisis/online_and_misspelt", "i want 2 die", True),
    ("crisis/online_and_misspelt", "K.I.L.L. MYSELF", True),
    ("crisis/online_and_misspelt", "I think about sucide a lot", True),
    ("crisis/online_and_misspelt", "sewerslide thoughts again", True),
    # Indirect.
    ("crisis/indirect", "I don't want to be here anymore", True),
    ("crisis/indirect", "i dont want to be here any more", True),
    ("crisis/indirect", "I can't go on", True),
    ("crisis/indirect", "I cannot go on like this.", True),
    ("crisis/indirect", "There is no point living", True),
    ("crisis/indirect", "I want to end it all", True),
    ("crisis/indirect", "I just want to disappear", True),
    ("crisis/indirect", "I do not want to wake up tomorrow", True),
    ("crisis/indirect", "Some nights I hope I don't wake up", True),
    ("crisis/indirect", "I do not wish to live", True),
    ("crisis/indirect", "There is no reason to live", True),
    ("crisis/indirect", "Everyone would be better off without me", True),
    ("crisis/indirect", "I can't do this anymore.", True),
    ("crisis/indirect", "I'm so tired of living", True),
    ("crisis/indirect", "I can't go on. Tuesday was the worst day.", True),  # a new sentence
    ("crisis/indirect", "I'm thinking of ending it", True),
    ("crisis/indirect", "i wish i could just not exist", True),
    ("crisis/indirect", "nobody would miss me", True),
    ("crisis/indirect", "I can't keep living like this", True),
    ("crisis/naming_it", "I'd rather be dead", True),
    ("crisis/naming_it", "passive SI most days", True),
    ("crisis/self_harm", "I'm a danger to myself", True),
    # Asking for suicide prevention for oneself.
    ("crisis/asking_for_help", "I need suicide prevention help for myself", True),
    ("crisis/asking_for_help", "What is the suicide prevention hotline number?", True),
    # An overdose, said rather than named.
    ("crisis/overdose_and_pills", "I took an overdose in May.", True),
    ("crisis/overdose_and_pills", "Last year I overdosed on my pills", True),
    ("crisis/overdose_and_pills", "I took all my pills", True),
    ("crisis/overdose_and_pills", "I'm going to take all my pills tonight", True),
    ("crisis/overdose_and_pills", "I swallowed a bottle of Tylenol", True),
    ("crisis/overdose_and_pills", "im gonna od on my meds", True),
    ("crisis/overdose_and_pills", "I have been saving up my pills", True),
    # A method.
    ("crisis/method", "I keep thinking I could hang myself", True),
    ("crisis/method", "I want to jump off a bridge", True),
    # Self-harm.
    ("crisis/self_harm", "I have been cutting", True),
    ("crisis/self_harm", "I've been cutting again.", True),
    ("crisis/self_harm", "I might hurt myself", True),
    ("crisis/self_harm", "History of self-harm, is that a problem?", True),
    ("crisis/self_harm", "I cut myself last night", True),
    # A crisis phrase wins over a near-miss elsewhere in the message.
    (
        "crisis/naming_it",
        "Suicide prevention research says ketamine helps, and honestly I feel suicidal.",
        True,
    ),  # noqa: E501
    ("crisis/naming_it", "My son is suicidal", True),  # someone else, now: still a crisis
    ("crisis/naming_it", "My brother committed suicide and now I want to die too", True),
    # Research, statistics, work.
    (
        "not_a_crisis/research_and_work",
        "I read about suicide prevention research and ketamine.",
        False,
    ),  # noqa: E501
    ("not_a_crisis/research_and_work", "Is there suicide research on esketamine?", False),
    ("not_a_crisis/research_and_work", "I work in suicide prevention at a hospital.", False),
    ("not_a_crisis/research_and_work", "What are the suicide rates in studies of ketamine?", False),  # noqa: E501
    (
        "not_a_crisis/research_and_work",
        "Is there a family history of suicide question on the form?",
        False,
    ),  # noqa: E501
    # Someone else's past.
    ("not_a_crisis/someone_elses_past", "My uncle died by suicide years ago.", False),
    ("not_a_crisis/someone_elses_past", "I lost my dad to suicide in 2019.", False),
    ("not_a_crisis/someone_elses_past", "My mom's suicide was a long time ago.", False),
    ("not_a_crisis/someone_elses_past", "My friend attempted suicide last year.", False),
    # Everyday uses of crisis words.
    ("not_a_crisis/everyday", "I can't go on Tuesday, can we move the call?", False),
    ("not_a_crisis/everyday", "I've been cutting back on coffee before infusions.", False),
    ("not_a_crisis/everyday", "I took a bottle of water to my last infusion.", False),
    ("not_a_crisis/everyday", "I take all my pills in the morning, is that ok?", False),
    ("not_a_crisis/everyday", "I'd rather not wake up early for appointments.", False),
    ("not_a_crisis/everyday", "I hope I don't wake up nauseous after.", False),
    ("not_a_crisis/everyday", "My insurance says there is no way out of paying in full.", False),
    ("not_a_crisis/everyday", "I'm ending things with my old psychiatrist.", False),
    ("not_a_crisis/research_and_work", "I work at a suicide prevention hotline.", False),
    ("crisis/naming_it", "I work at a suicide prevention hotline and I want to die", True),
    ("crisis/overdose_and_pills", "I will take all my pills tonight", True),
    ("everyday", "It might not exist yet.", False),
    ("everyday", "Do I need to stop all my meds before ketamine?", False),
    ("everyday", "The waiting list is killing me", False),
    ("everyday", "I want to end my contract with my old clinic.", False),
    ("everyday", "I'm killing it at work since my last infusion!", False),
    ("everyday", "I'm dying to know if insurance covers it.", False),
    ("everyday", "Could ketamine help with my treatment-resistant depression?", False),
    ("everyday", "What does the overdosage chart say?", False),  # not the whole word
    ("everyday", "My skill myself is low", False),  # "kill myself" only as whole words
    ("everyday", "Is it safe to drive home after an infusion?", False),
    ("everyday", "I would love to get my life back on track.", False),
    ("everyday", "", False),
    # En español: the same kinds of cases, typed with and without accents.
    ("crisis/naming_it_es", "Quiero morir", True),
    ("crisis/naming_it_es", "A veces me quiero morir.", True),
    ("crisis/naming_it_es", "QUIERO MATARME", True),
    ("crisis/naming_it_es", "Creo que me voy a matar esta noche", True),
    ("crisis/naming_it_es", "He pensado en suicidarme", True),
    ("crisis/naming_it_es", "Tengo pensamientos suicidas desde marzo.", True),
    ("crisis/naming_it_es", "Mi hijo quiere suicidarse", True),  # someone else, now
    ("crisis/naming_it_es", "Quiero quitarme la vida", True),
    ("crisis/naming_it_es", "pienso en terminar con mi vida", True),
    ("crisis/naming_it_es", "Estaría mejor muerta", True),
    ("crisis/naming_it_es", "estaria mejor muerto", True),  # no accent
    ("crisis/naming_it_es", "kiero morir", True),  # a texting spelling ("same_as")
    ("crisis/naming_it_es", "quiero m4tarme", True),  # a digit for a letter
    ("crisis/online_and_misspelt_es", "pensando en el suisidio", True),
    # A psychiatrist's read (2026-12-05): forms people speak, someone else now, overdoses.
    ("crisis/spoken_forms_es", "Me voy a colgar esta noche", True),
    ("crisis/spoken_forms_es", "me quiero quitar la vida", True),
    ("crisis/spoken_forms_es", "Anoche me corté las venas", True),
    ("crisis/spoken_forms_es", "Mi hermano se quiere suicidar", True),
    ("crisis/spoken_forms_es", "me tomé muchas pastillas", True),
    ("crisis/spoken_forms_es", "ya no quiero seguir", True),
    ("crisis/spoken_forms_es", "ojalá no hubiera nacido", True),
    ("crisis/overdose_and_pills_es", "Creo que tomé todas las pastillas", True),
    ("crisis/overdose_and_pills_es", "Voy a tomarme todas las pastillas en la noche", True),
    ("crisis/overdose_and_pills_es", "Mi hijo tuvo una sobredosis y no despierta", True),
    ("crisis/naming_it_es", "Mi hija intentó suicidarse hoy", True),
    ("crisis/indirect_es", "ya no quiero vivir", True),
    ("crisis/indirect_es", "Ya no aguanto más.", True),
    ("crisis/indirect_es", "ya no aguanto mas", True),
    ("crisis/indirect_es", "Ya no puedo más", True),
    ("crisis/indirect_es", "Todos estarían mejor sin mí", True),
    ("crisis/indirect_es", "quiero desaparecer para siempre", True),
    ("crisis/indirect_es", "No quiero despertar mañana", True),
    ("crisis/asking_for_help_es", "¿Cuál es la línea de prevención del suicidio?", True),
    ("crisis/asking_for_help_es", "Necesito prevención del suicidio para mí", True),
    ("crisis/overdose_and_pills_es", "me tomé todas las pastillas", True),
    ("crisis/overdose_and_pills_es", "Voy a tomarme todas las pastillas esta noche", True),
    ("crisis/overdose_and_pills_es", "Tuve una sobredosis el año pasado", True),
    ("crisis/method_es", "quiero tirarme de un puente", True),
    ("crisis/method_es", "compre una soga", True),
    ("crisis/self_harm_es", "Tengo miedo de hacerme daño", True),
    ("crisis/self_harm_es", "tengo miedo de hacerme dano", True),  # "ñ" typed as "n"
    ("crisis/self_harm_es", "tengo miedo de hacerme danio", True),  # ... or as "ni"
    ("crisis/self_harm_es", "TENGO MIEDO DE HACERME DAÑO", True),
    ("crisis/self_harm_es", "me dan ganas de lastimarme", True),
    ("crisis/self_harm_es", "volví a cortarme anoche", True),
    ("crisis/self_harm_es", "me he estado cortando otra vez", True),
    # A crisis phrase wins over a near-miss elsewhere in the message.
    ("crisis/naming_it_es", "Leí sobre la prevención del suicidio, y quiero morir.", True),
    ("crisis/naming_it_es", "Trabajo en la línea de prevención del suicidio y quiero morir", True),
    ("crisis/naming_it_es", "Mi hermano se suicidó y ahora yo también quiero morir", True),
    ("not_a_crisis/research_and_work_es", "investigación sobre la prevención del suicidio", False),
    ("not_a_crisis/research_and_work_es", "¿Cuáles son las tasas de suicidio?", False),
    ("not_a_crisis/research_and_work_es", "¿Antecedentes familiares de suicidio?", False),
    ("not_a_crisis/research_and_work_es", "Trabajo en la línea de prevención del suicidio", False),
    ("not_a_crisis/someone_elses_past_es", "Mi tío murió por suicidio hace años.", False),
    ("not_a_crisis/someone_elses_past_es", "Perdí a mi hermano por suicidio en 2019.", False),
    ("not_a_crisis/someone_elses_past_es", "Mi amiga intentó suicidarse el año pasado.", False),
    ("not_a_crisis/someone_elses_past_es", "El suicidio de mi padre fue hace mucho.", False),
    ("not_a_crisis/everyday_es", "Quiero cortarme el pelo antes de la cita", False),
    ("not_a_crisis/everyday_es", "Ayer me corté el pelo", False),
    ("not_a_crisis/someone_elses_past_es", "Mi primo tuvo una sobredosis hace años.", False),
    ("not_a_crisis/everyday_es", "La recepcionista me cortó la llamada", False),
    ("not_a_crisis/everyday_es", "¿La ketamina puede hacerme daño?", False),
    ("not_a_crisis/everyday_es", "¿Es necesario que tome todas mis pastillas antes?", False),
    ("not_a_crisis/everyday_es", "No quiero despertar mareado después.", False),
    ("everyday", "¿Cuánto cuesta una sesión?", False),
    ("everyday", "Me duele la cabeza después de la sesión.", False),
    ("everyday", "La espera me está matando", False),
    ("everyday", "Me muero de ganas de saber si el seguro lo cubre", False),
    ("everyday", "Quiero terminar mi contrato con la otra clínica.", False),
    ("everyday", "Me tomo todas las pastillas por la mañana", False),
]

CRISIS_MESSAGES = [message for _, message, crisis in CASES if crisis]
NOT_CRISIS_MESSAGES = [message for _, message, crisis in CASES if not crisis]
# The indirect ways issue 23 names: each must flag an inquiry and show the card when sent.
INDIRECT = [
    "I don't want to be here anymore", "I can't go on", "There is no point living",
    "I'd be better off dead", "I want to end it all", "I want to disappear",
    "I do not want to wake up", "I wish I was dead", "I do not wish to live",
]  # fmt: skip
# The Spanish ones issue 28 names, as typed with accents and without.
SPANISH = [
    "Quiero morir", "me quiero morir", "No quiero vivir", "Ya no quiero vivir más",
    "Estoy pensando en suicidarme", "Quiero hacerme daño", "quiero hacerme dano",
]  # fmt: skip


@pytest.mark.parametrize(("group", "message", "crisis"), CASES)
def test_each_case_of_the_table(group, message, crisis):
    assert suggests_crisis(message) is crisis, group


def test_every_group_of_the_file_has_a_case():
    groups = load_phrases().groups
    named = {f"{section}/{group}" for section in groups for group in groups[section]}
    covered = {group for group, _, _ in CASES}
    assert named - covered == set(), "add a case for these groups"
    assert covered - named == {"everyday"}, "a case names a group the file does not have"


@pytest.mark.parametrize(
    "phrase", [p for phrases in load_phrases().groups["crisis"].values() for p in phrases]
)
def test_every_crisis_phrase_triggers_on_its_own(phrase):
    assert suggests_crisis(f"Hello. {phrase.upper()}! Thanks")


def test_a_near_miss_quiets_only_what_lies_inside_it():
    assert not suggests_crisis("suicide prevention")
    assert suggests_crisis("suicide prevention. suicide")  # the second is on its own
    assert not suggests_crisis("He died by suicide")
    assert suggests_crisis("I almost died by suicide")  # "I" is not someone else


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("Don’t  STOP!", " dont stop ¶ "),
        ("k i l l", " kill "),
        ("k.i.l.l myself", " kill myself "),
        ("su1cide 988", " suicide 988 "),
        ("wanna", " want to "),
        ("I do not", " i dont "),
        ("I'm", " i am "),
        ("end.\nit", " end ¶ ¶ it "),  # two marks: harmless
        ("e-mail_address", " e mail address "),
        ("HACERME DAÑO", " hacerme dano "),  # accents and tildes folded after lower case
        ("hacerme dan\u0303o", " hacerme dano "),  # "ñ" typed as "n" + a combining tilde
        ("hacerme danio", " hacerme dano "),
        ("¿Cuánto? ¡Sí!", " cuanto ¶ si ¶ "),
        ("Pingüino DAÑ0 sui-cidio", " pinguino dano sui cidio "),  # folded, then 0 = o
        ("한국어", " 한국어 "),  # letters with no Latin accent are left as they were
    ],
)
def test_normalizing(typed, normalized):
    assert normalize(typed) == normalized


def run_script_under_node(messages: list[str]) -> list[dict]:
    """static/js/crisis-check.js's matcher, under node, given what the page gives it."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = settings.BASE_DIR / "static" / "js" / "crisis-check.js"
    program = (
        "const fs = require('fs');"
        f"const {{ makeMatcher }} = require({json.dumps(str(script))});"
        "const input = JSON.parse(fs.readFileSync(0, 'utf8'));"
        "const m = makeMatcher(input.lists);"
        "process.stdout.write(JSON.stringify(input.messages.map("
        "t => ({ normalized: m.normalize(t), crisis: m.suggestsCrisis(t) }))));"
    )
    result = subprocess.run(
        [node, "-e", program],
        input=json.dumps({"lists": phrases_for_script(), "messages": messages}),
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def test_the_script_normalizes_and_matches_exactly_as_the_server():
    phrases = load_phrases().groups
    messages = [message for _, message, _ in CASES] + [
        f"x {phrase} y" for section in phrases.values() for group in section.values()
        for phrase in group
    ] + ["ÉCOLE Ölçü straße — 𝒜𝒷 ①② İi", "a b c d e", "k 1 l l", "tab\there;\tnext", "½ ¹",
       "hacerme dan\u0303o", "Ǆ ǅ ﬁ Å Å 한국어 ǲ", "ḾÉ QÜIÉRÕ MÖRÍR"]  # fmt: skip
    answers = run_script_under_node(messages)
    for message, answer in zip(messages, answers, strict=True):
        assert answer == {"normalized": normalize(message), "crisis": suggests_crisis(message)}, (
            message
        )


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "expected crisis:"),
        ({"crisis": {"a": ["x"]}, "not_a_crisis": {"b": ["y"]}, "extra": 1}, "unknown section"),
        ({"crisis": {}, "not_a_crisis": {"b": ["y"]}}, "crisis: needs groups"),
        ({"crisis": {"a": []}, "not_a_crisis": {"b": ["y"]}}, "'a' has no phrases"),
        ({"crisis": {"a": ["!!!"]}, "not_a_crisis": {"b": ["y"]}}, "must be words"),
        ({"crisis": {"a": ["{who} x"]}, "not_a_crisis": {"b": ["y"]}}, "{who}, not listed"),
    ],
)
def test_a_malformed_file_is_refused_in_plain_words(data, problem):
    with pytest.raises(CrisisPhrasesError, match=re.escape(problem)):
        parse_phrases(data)


def test_the_file_is_checked_at_start_up(monkeypatch, tmp_path):
    assert check_phrases_file() == []
    broken = tmp_path / "content" / "crisis-phrases.yaml"
    broken.parent.mkdir()
    broken.write_text("crisis: [unclosed\n")
    monkeypatch.setattr(settings, "BASE_DIR", tmp_path)
    [error] = check_phrases_file()
    assert error.id == "clinic.E101" and "not valid YAML" in error.msg
