"""Care cards: urgent advice in a box whose level is said in words as well as colour, made
only from our Markdown syntax; an author's hand-written look-alike stays plain.

The "when to get help" cards made from the triage data (`!!! when-to-get-help` with symptom
keys) are tested in tests/triage/; the free-text `!!! emergency` / `!!! urgent`
cards below are refused by the editor's checks now, but text saved before still renders."""

import re

import pytest

from foundation.care_cards import ClinicContacts, Triage
from foundation.markdown import render_markdown

CARD = """\
## When to get help

!!! emergency "Call 911 or go to the emergency room if:"
    - you have chest pain or trouble breathing
    - someone cannot wake you

!!! urgent "Call the clinic, or call or text 988, now if:"
    - you have thoughts of suicide

!!! info "Good to know"
    The clinic's contact form is **not** watched around the clock.
"""


def test_each_kind_becomes_a_care_card_with_its_label_and_own_heading():
    html = render_markdown(CARD).html
    assert html.count('<div class="care-card care-card--emergency">') == 1
    assert html.count('<div class="care-card care-card--urgent">') == 1
    assert html.count('<div class="care-card care-card--info">') == 1
    # The heading is one level below the section the card is in, and says its level in
    # words ("Emergency:" for a screen reader, a visible label for everyone).
    assert (
        '<h3 class="care-card__heading"><span class="care-card__label">Emergency'
        '<span class="visually-hidden">:</span></span> '
        "Call 911 or go to the emergency room if:</h3>"
    ) in html
    assert '<span class="care-card__label">Urgent<span' in html
    assert '<span class="care-card__label">Information<span' in html
    assert "<li>someone cannot wake you</li>" in html
    assert "<strong>not</strong> watched" in html
    assert "admonition" not in html


def test_a_card_before_any_section_heading_gets_a_level_two_heading():
    html = render_markdown('!!! urgent "Call now if:"\n    - you feel unsafe\n').html
    assert html.startswith(
        '<div class="care-card care-card--urgent">\n<h2 class="care-card__heading">'
    )


def test_a_cards_heading_stays_out_of_the_table_of_contents():
    rendered = render_markdown('!!! urgent "Call now if:"\n    Text.\n\n## Later\n\nText.\n')
    assert rendered.headings == [("later", "Later")]


def test_a_box_without_a_title_keeps_its_label():
    html = render_markdown('!!! info ""\n    Text.\n').html
    assert '<span class="care-card__label">Information<span' in html and "<p>Text.</p>" in html


def test_another_kind_of_box_is_not_a_care_card():
    html = render_markdown('!!! warning "Careful"\n    Text.\n').html
    assert html == "<div>\n<p><strong>Careful</strong></p>\n<p>Text.</p>\n</div>"


def test_a_symptom_card_without_triage_data_is_a_plain_box_not_a_card():
    """Only a caller that passes the triage data (articles, FAQ) gets cards from keys."""
    html = render_markdown('!!! when-to-get-help "Get help if:"\n    - chest-pain\n').html
    assert "care-card" not in html and "<strong>Get help if:</strong>" in html


TRIAGE = Triage(
    symptoms={"chest-pain": ("emergency", "Chest pain"), "low": ("crisis", "Feeling unsafe")},
    headings={"emergency": "Call 911 now", "crisis": "Call or text 988 now"},
    clinic=ClinicContacts(phone="(201) 555-0142", phone_href="tel:2015550142"),
    help_url="/when-to-get-help/",
)


def test_symptom_cards_keep_the_care_card_markup():
    html = render_markdown(
        "!!! when-to-get-help\n    - low\n    - chest-pain\n", triage=TRIAGE
    ).html
    assert html.index('<div class="care-card care-card--emergency">') < html.index(
        '<div class="care-card care-card--crisis">'
    )
    assert (
        '<h2 class="care-card__heading"><span class="care-card__label">Emergency'
        '<span class="visually-hidden">:</span></span> Call 911 now</h2>'
    ) in html
    assert '<a href="tel:988">Call 988</a> or <a href="sms:988">text 988</a>' in html


def test_click_to_call_links_are_kept_and_script_links_are_not():
    html = render_markdown("[Call](tel:911) [Text](sms:988) [x](javascript:alert(1))").html
    assert 'href="tel:911"' in html and 'href="sms:988"' in html
    assert "javascript" not in html


HOSTILE_FAKES = [
    '<div class="care-card care-card--emergency"><h2 class="care-card__heading">'
    '<span class="care-card__label">Emergency</span> Buy now</h2></div>',
    '<div class="admonition emergency"><p class="admonition-title">Buy now</p></div>',
    '<p class="care-card--urgent">x</p><span class="visually-hidden">hidden</span>',
    "<div markdown=\"1\" class='care-card care-card--info'>*x*</div>",
    # An author who has seen a rendered page's source cannot reuse its prefix either: it is
    # made afresh, at random, for every render.
    '<div class="x0123456789abcdef-care-card">x</div>',
    '<div class="help-cards"><div class="care-card care-card--crisis">x</div></div>',
]


@pytest.mark.parametrize("fake", HOSTILE_FAKES)
def test_a_hand_written_fake_card_stays_inert(fake):
    """Raw HTML that imitates a care card (or an admonition) loses every class."""
    html = render_markdown(fake).html
    assert "class=" not in html
    assert not re.search(r"care-card|admonition|visually-hidden", html.replace(">x<", ""))


def test_a_fake_next_to_a_real_card_stays_inert():
    fake = '<div class="care-card care-card--emergency">Fake</div>\n\n'
    html = render_markdown(fake + '!!! info "Real"\n    Text.\n').html
    assert html.count("care-card--") == 1 and '<div class="care-card care-card--info">' in html
    assert "<div>Fake</div>" in html


def test_care_cards_render_on_the_article_page(client, make_article):
    make_article(slug="help", body=CARD)
    html = client.get("/articles/help/").content.decode()
    assert '<div class="care-card care-card--emergency">' in html
    assert "Call 911 or go to the emergency room if:</h3>" in html
