"""content/triage.yaml round-trips and refuses bad data; /when-to-get-help/ lists every
symptom."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.content_files import parse_triage, triage_file_text
from articles.models import TriageLevel, TriageSymptom
from tests.html_tree import parse
from tests.triage.cards import FALLBACK, TRIAGE_FILE, items

# --- The file ---------------------------------------------------------------------------


def test_import_then_export_gives_back_the_same_file(symptoms, tmp_path):
    call_command("export_content", "--dir", str(tmp_path), stdout=StringIO())
    assert (tmp_path / "triage.yaml").read_text() == TRIAGE_FILE.read_text()
    assert triage_file_text(parse_triage(TRIAGE_FILE)) == TRIAGE_FILE.read_text()


@pytest.mark.parametrize(
    "change, message",
    [
        (("level: soon", "level: later"), "symptom 15 (painful-peeing): unknown level 'later'"),
        (("key: peeing-often", "key: painful-peeing"), "the key 'painful-peeing' is listed twice"),
        (('text: "Chest pain"', "text: "), "symptom 3 (chest-pain) has no text"),
        (('heading: "Call or text 988 now"', 'heading: "Call 988"'), "'levels:' must list"),
        (("key: seizure", "key: Seizure!"), "symptom 4 (Seizure!): the key must be lower-case"),
    ],
)
def test_bad_data_in_the_file_is_refused_naming_the_entry(db, tmp_path, change, message):
    (tmp_path / "articles").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "triage.yaml").write_text(TRIAGE_FILE.read_text().replace(*change, 1))
    with pytest.raises(CommandError) as refused:
        call_command("import_content", "--dir", str(tmp_path), stdout=StringIO())
    assert str(refused.value).startswith("Nothing was imported.")
    assert message in str(refused.value)
    assert not TriageSymptom.objects.exists()


def test_an_article_with_a_key_the_file_does_not_have_is_refused_on_import(db, tmp_path):
    shutil.copy(TRIAGE_FILE, tmp_path / "triage.yaml")
    (tmp_path / "articles").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "articles" / "one.md").write_text(
        "---\ntitle: One\nsummary: A summary.\ntopic: basics\n---\n\n"
        "!!! when-to-get-help\n    - chest-pain\n    - confusion\n"
    )
    with pytest.raises(CommandError, match="“confusion” is not a symptom key"):
        call_command("import_content", "--dir", str(tmp_path), stdout=StringIO())


# --- The page ---------------------------------------------------------------------------


def test_the_page_lists_every_symptom_under_its_level_most_urgent_first(symptoms, profile, client):
    response = client.get("/when-to-get-help/")
    assert response.status_code == 200
    html = response.content.decode()
    main = parse(html).find_all("main")[0]
    found = {}
    for card in main.find_all("div", "care-card"):
        level = card.classes[1].removeprefix("care-card--")
        found[level] = items(card)
    assert list(found) == list(TriageLevel.values)
    for symptom in symptoms.values():
        assert symptom.text in found[symptom.level], symptom.key
    assert sum(len(texts) for texts in found.values()) == len(symptoms)
    links = main.links()
    assert {"tel:911", "tel:988", "sms:988", profile.phone_href, "tel:2015550199"} <= set(links)
    assert "education, not medical advice" in main.text()
    # It is the full list: its cards do not link to itself.
    card_links = [a for card in main.find_all("div", "care-card") for a in card.links()]
    assert "/when-to-get-help/" not in card_links


def test_the_page_is_in_the_sitemap_and_linked_from_the_crisis_notice_and_footer(symptoms, client):
    assert "/when-to-get-help/</loc>" in client.get("/sitemap.xml").content.decode()
    page = parse(client.get("/").content.decode())
    crisis = page.find_all("aside", "crisis")[0]
    footer = page.find_all("footer")[0]
    assert "/when-to-get-help/" in crisis.links()
    assert "/when-to-get-help/" in footer.links()
    assert "tel:2015550199" in footer.links() or FALLBACK in footer.text()


def test_the_page_follows_a_symptom_change_through_the_page_cache(symptoms, settings):
    from tests.wsgi_client import WsgiClient

    settings.PAGE_CACHE_ENABLED = True
    site = WsgiClient()
    assert "Chest pain" in site.get("/when-to-get-help/").text()
    symptom = symptoms["chest-pain"]
    symptom.text = "Pain or tightness in the chest"
    symptom.save()
    assert "Pain or tightness in the chest" in site.get("/when-to-get-help/").text()
