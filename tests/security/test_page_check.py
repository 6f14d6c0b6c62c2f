"""The page check the hostile-input tests rely on finds what it must find."""

import pytest
from django.utils.html import escape

from tests.security.hostile import ALL
from tests.security.pages import unsafe_constructs

RUNNABLE = [
    "<script>alert('pwned')</script>",
    '<script src="https://evil.example/x.js"></script>',
    '<script src="/static/../media/x.js" type="text/javascript">',
    "<img src=x onerror=alert(1)>",
    "<p ONCLICK=alert(1)>x</p>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVa&#x09;Script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="javascript%3Aalert(1)">x</a>',
    '<iframe src="data:text/html,x"></iframe>',
    '<img srcset="/a.png 1x, data:image/svg+xml,x 2x">',
    '<form action="vbscript:x"></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<svg></svg>",
    "<math></math>",
    '<object data="/x"></object>',
    '<embed src="/x">',
    '<base href="/">',
    '<meta http-equiv="refresh" content="0;url=/">',
    "<style>body{}</style>",
    '<iframe srcdoc="x"></iframe>',
    "<b data-pwned>x</b>",
    '<b id="pwned">x</b>',
    '<b class="x pwned">x</b>',
    # A title that broke out of the JSON-LD block's string.
    '<script type="application/ld+json">{"headline": "x"}, alert(1)</script>',
    # The first of two attributes counts, as in browsers.
    '<a href="javascript:alert(1)" href="/safe/">x</a>',
]


@pytest.mark.parametrize("markup", RUNNABLE)
def test_the_check_finds_markup_that_could_run(markup):
    assert unsafe_constructs(f"<main>{markup}</main>")


def test_the_check_passes_our_own_script_files_json_ld_and_ordinary_links():
    page = (
        '<script type="application/ld+json">{"headline": "A \\u003C/script\\u003E"}</script>'
        '<script src="/static/js/comment-form.js" defer></script>'
        '<a href="/runners-knee/#comments" rel="nofollow">x</a>'
        '<a href="https://example.com/javascript:alert(1)">x</a>'
        '<a href="/search/?q=javascript%3A">x</a>'
        '<img src="/media/a.png" srcset="/media/a-480.webp 480w, /media/a.webp 800w">'
    )
    assert unsafe_constructs(page) == []


@pytest.mark.parametrize("hostile", ALL)
def test_every_hostile_string_escaped_by_django_passes_the_check(hostile):
    assert unsafe_constructs(f'<p title="{escape(hostile)}">{escape(hostile)}</p>') == []
