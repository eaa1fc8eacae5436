"""Dates on the Spanish pages, the way US Spanish-language health sites write them:
"4 de marzo de 2026"."""

DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i a"
