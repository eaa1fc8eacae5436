"""What the clinical-review tests read on the public pages."""

import re

from articles.models import Article

NOT_REVIEWED = "This article has not yet been reviewed by one of our clinicians."
DUE = "This article is due for review."
WAITING_LIST = "/admin/articles/pendingchange/"


def public_html(client, article: Article) -> str:
    client.logout()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
