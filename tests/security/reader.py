"""A reader's browser in the security tests: sends hostile text byte for byte
(unpaired surrogates as the invalid UTF-8 they become on the wire) and checks
every page it gets back."""

from urllib.parse import quote, urlencode

from tests.security.hostile import wire
from tests.security.pages import find, parse, unsafe_constructs

SAME_SITE = "http://testserver"


def encode_form(data):
    return urlencode(data, doseq=True, encoding="utf-8", errors="surrogatepass")


def path_segment(text):
    """`text` as one percent-encoded path segment."""
    return quote(wire(text), safe="")


class Reader:
    def __init__(self, client):
        self.client = client

    def get(self, path, params=None, **headers):
        url = f"{path}?{encode_form(params)}" if params else path
        return self.checked(self.client.get(url, **headers))

    def post(self, path, data, params=None, **headers):
        url = f"{path}?{encode_form(params)}" if params else path
        response = self.client.post(
            url,
            encode_form(data),
            content_type="application/x-www-form-urlencoded",
            **{"HTTP_ORIGIN": SAME_SITE, "REMOTE_ADDR": "203.0.113.9", **headers},
        )
        return self.checked(response)

    def checked(self, response):
        """`response`, after asserting it is no server error and, for HTML,
        that nothing on it could run script."""
        assert response.status_code < 500, response.status_code
        if "html" in response.get("Content-Type", "") and not response.streaming:
            problems = unsafe_constructs(response.content.decode())
            assert not problems, problems
        return response


def page_tree(response):
    return parse(response.content.decode())


def form_token(response):
    """The signed token in the comment form of the page `response` holds."""
    token = find(page_tree(response), name="token")
    assert token is not None, "the page has no comment form"
    return token.attrs["value"]
