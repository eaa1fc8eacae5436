"""Bad input gets a polite answer from the site, never a 500 (issue 16)."""

import io

import pytest
from django.contrib.auth.models import User
from django.test import Client

from clinic_site.wsgi import application
from inquiries.models import Inquiry
from tests.contact_form import form_data

CSRF_TOKEN = "a" * 32


class OneReadStream(io.RawIOBase):
    """wsgi.input as a server gives it: it can be read once, not rewound."""

    def __init__(self, body: bytes) -> None:
        self.body = io.BytesIO(body)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self.body.read(size)

    def readline(self, size: int = -1) -> bytes:
        return self.body.readline(size)


def wsgi_post(path: str, body: bytes, content_type: str) -> tuple[str, bytes]:
    from django.conf import settings

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": f"{settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.url_scheme": "http",
        "wsgi.input": OneReadStream(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status

    content = b"".join(application(environ, start_response))
    return answer["status"], content


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["iso-8859-1", "utf-16"])
@pytest.mark.parametrize("path", ["/contact/", "/admin/login/", "/editor/markdownify/"])
def test_a_form_in_another_character_set_gets_the_sites_400_page(path, charset):
    body = f"csrfmiddlewaretoken={CSRF_TOKEN}&name=".encode() + b"\xff\xfe%ZZ&message=\x81"
    status, content = wsgi_post(path, body, f"application/x-www-form-urlencoded; charset={charset}")
    assert status == "400 Bad Request"
    page = content.decode()
    assert "We could not read what was sent" in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_permission_denied_gets_an_admin_styled_403_page_for_staff():
    """Staff without the right to add articles: the admin raises PermissionDenied, and
    they see the admin's style, not the patient site's (issue 26)."""
    user = User.objects.create_user("reader", password="pw-123-long-enough", is_staff=True)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get("/admin/articles/article/add/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Not part of your role" in page and 'id="site-name"' in page


@pytest.mark.django_db
def test_a_message_that_fits_the_box_is_not_refused_for_its_line_breaks(client):
    # 1,965 characters as the visitor sees them, with 40 line breaks sent as CR LF.
    lines = ["x" * 48] * 40
    message = "\r\n".join(lines)
    assert len(message.replace("\r\n", "\n")) <= 2000 < len(message) + 40
    response = client.post("/contact/", form_data(message=message, preferred_contact="email"))
    assert response.status_code == 302
    assert Inquiry.objects.get().message == "\n".join(lines)


@pytest.mark.django_db
def test_head_of_the_contact_page_answers_200(client):
    response = client.head("/contact/")
    assert response.status_code == 200
    assert response.content == b""
