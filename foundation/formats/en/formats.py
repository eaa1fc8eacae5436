"""One date style across the admin, the same as the site's pages ("March 4, 2026")."""

DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, g:i a"
