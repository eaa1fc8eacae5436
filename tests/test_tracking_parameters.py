"""The list of tracking parameters lives once (foundation/page_cache.py): nginx's
micro-cache (deploy/nginx-site.conf) matches queries with the pattern written from it, so
the two caches agree on which URLs are served from a stored page."""

import re
from pathlib import Path

import pytest

from foundation.page_cache import nginx_tracking_pattern, only_tracking_parameters

SITE_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx-site.conf"
QUERY_MAP = re.compile(r"^map \$args \$clinic_query_skip \{\n(.*?)^\}", re.MULTILINE | re.DOTALL)


def nginx_patterns() -> list[str]:
    """The case-insensitive regular expressions of nginx's map that mean "cache it"."""
    block = QUERY_MAP.search(SITE_CONF.read_text()).group(1)
    return re.findall(r'^\s*"~\*(.*)" 0;$', block, re.MULTILINE)


def test_nginx_matches_queries_with_the_pattern_written_from_the_site_list():
    expected = f'"~*{nginx_tracking_pattern()}" 0;'
    assert nginx_patterns() == [nginx_tracking_pattern()], (
        "deploy/nginx-site.conf and TRACKING_PARAMETERS differ: in the file's "
        f"`map $args $clinic_query_skip`, the pattern line should read\n    {expected}"
    )


@pytest.mark.parametrize(
    "query",
    ["", "&", "utm_source=a", "UTM_TERM=b&gclid=c", "li_fat_id=3", "gclid", "utm_=1", "=x",
     "utm_source=a&&gclid=b", "utm_2=z", "Fbclid=1&MSCLKID=2",
     "utm=1", "q=x", "utm_source=a&page=2", "_gax=1", "fbclid=1&x", "a", "gclidx=1",
     "page=2&utm_source=a", "change=3"],
)  # fmt: skip
def test_the_pattern_accepts_exactly_what_the_page_cache_serves_from_a_stored_page(query):
    matches = re.fullmatch(nginx_tracking_pattern(), query, re.IGNORECASE) is not None
    assert matches is only_tracking_parameters(query)
