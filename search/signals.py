"""Signals the search app sends for others to listen to, so that it never imports them."""

from django.dispatch import Signal

# Sent after every search a visitor makes, with `query` (the cleaned text) and
# `result_count` (articles and FAQ answers found) and `answered` (pages holding every word
# were found: False for only partial matches, or a corrected search that found no more)
# and `crisis` (the query reads like a crisis: clinic.crisis.suggests_crisis).
# Content insights count searches that found nothing without the search app knowing
# about insights. It is sent on every search, so the receivers are looked up once per
# sender, not on every send.
search_done = Signal(use_caching=True)
