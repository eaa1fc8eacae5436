"""The parts every page shares (crisis notice, header, footer) are rendered once per worker
and kept until the next save (foundation/templating.py kept_fragment): each page still
shows its own place in the menu, each address its own links, and a change to the clinic
profile shows on the next page."""

from clinic.models import ClinicProfile
from foundation.templating import kept_fragments

from .wsgi_client import WsgiClient


def test_each_page_marks_its_own_place_in_the_menu(client, make_article):
    make_article(title="Spray", slug="spray", body="The nasal spray.")
    faq = client.get("/faq/").content.decode()
    assert '<a href="/faq/" aria-current="page">FAQ</a>' in faq
    contact = client.get("/contact/").content.decode()
    assert '<a href="/contact/" aria-current="page">Contact</a>' in contact
    assert 'aria-current="page">FAQ' not in contact
    article = client.get("/articles/spray/").content.decode()
    assert '<a href="/articles/" aria-current="page">Articles</a>' in article
    assert len(kept_fragments) >= 4  # notice, footer, and a header per place


def test_the_search_page_keeps_its_header_without_the_search_box(client, make_article):
    make_article(title="Spray", slug="spray", body="The nasal spray.")
    assert 'id="site-search-q"' in client.get("/faq/").content.decode()
    search = client.get("/search/?q=spray").content.decode()
    assert 'id="site-search-q"' not in search and 'id="search-page-q"' in search


def test_a_changed_clinic_profile_shows_on_the_next_page(client, db):
    client.get("/faq/")
    profile = ClinicProfile.load()
    profile.phone = "(555) 010-4477"
    profile.save()
    html = client.get("/faq/").content.decode()
    assert "Call (555) 010-4477" in html  # header
    assert "Phone: <a" in html and "(555) 010-4477</a><br>" in html  # footer


def test_pages_made_for_another_address_keep_their_own_links(client, db):
    wsgi = WsgiClient()
    mounted = wsgi.get("/faq/", script_name="/clinic").text()
    at_root = wsgi.get("/faq/").text()
    assert 'href="/clinic/contact/"' in mounted and 'href="/clinic/faq/" aria-current' in mounted
    assert "/clinic/" not in at_root
