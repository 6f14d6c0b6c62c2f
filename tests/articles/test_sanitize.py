import html
import re

import pytest

from articles.headings import assign_heading_ids, table_of_contents
from articles.sanitize import sanitize_html
from tests.factories import ArticleFactory, CategoryFactory

# What must never survive, searched in the output as stored and once more
# with entities decoded (a browser decodes them in attribute values).
DANGEROUS = re.compile(
    r"<script|<svg|<math|<style|<object|<embed|<form|<base|<meta|<link|<template"
    r"|\son[a-z]+\s*=|javascript:|vbscript:|livescript:|data:|expression\s*\("
    r"|url\s*\(|@import|behavior\s*:|-moz-binding|srcdoc|formaction|xlink:href",
    re.IGNORECASE,
)

HOSTILE_INPUTS = [
    # script tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<p>ok</p><script\n>alert(1)</script\n>",
    '<<script>alert("x");//<</script>',
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<p onclick="steal()">Click</p>',
    '<a href="/ok/" onmouseover="alert(1)">hover</a>',
    "<body onload=alert(1)>",
    '<img src="/a.png" ONERROR="alert(1)">',
    "<div/onpointerenter=alert(1)>x</div>",
    '<details open ontoggle="alert(1)">',
    # javascript: URLs in several encodings
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\0script:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<img src="javascript:alert(1)">',
    '<a href="vbscript:msgbox(1)">x</a>',
    # a scheme hidden behind percent-encoding (found by the property test)
    "<a href=\"javascript%3Aalert('pwned')\">x</a>",
    '<img src="%6Aavascript%3Aalert(1)">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    # SVG and MathML payloads
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # style-based attacks
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<p style="width: expression(alert(1))">x</p>',
    '<img src="/a.png" style="behavior: url(x.htc)">',
    '<p style="-moz-binding: url(http://evil.example/x.xml#xss)">x</p>',
    "<style>@import 'http://evil.example/x.css';</style>",
    '<p style="width:1px;background-image:url(&quot;javascript:alert(1)&quot;)">x</p>',
    '<p style="w\\idth: 1px">x</p>',
    # other ways in
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="https://evil.example/embed/1"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<!--<img src=x onerror=alert(1)>-->",
    "<template><img src=x onerror=alert(1)></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]


def test_the_hostile_table_holds_at_least_thirty_inputs():
    assert len(HOSTILE_INPUTS) >= 30


@pytest.mark.parametrize("markup", HOSTILE_INPUTS)
def test_hostile_html_is_stored_without_anything_that_could_run(markup):
    cleaned = sanitize_html(markup)
    assert not DANGEROUS.search(cleaned), cleaned
    assert not DANGEROUS.search(html.unescape(cleaned)), cleaned
    # Running it twice changes nothing: what is stored is already clean.
    assert sanitize_html(cleaned) == cleaned


@pytest.mark.parametrize(
    "markup",
    [
        '<p class="note"><strong>NOTE:</strong> See <a href="/it-band-syndrome/">IT band</a>.</p>',
        '<ul><li><a href="/go/knee-sleeve/">knee sleeve</a></li></ul>',
        "<ol><li>One</li></ol><blockquote><p>Quote</p></blockquote>",
        '<p><img src="/media/uploads/a.jpg" alt="A knee" width="800" height="500"></p>',
        "<p><em>Rest</em>, <b>ice</b> and <i>patience</i>.<br>Then run.</p>",
        '<p><a href="mailto:editor@example.com">Write to us</a></p>',
        '<p style="text-align: center">Centred</p>',
    ],
)
def test_the_editors_toolbar_markup_is_kept_as_written(markup):
    assert sanitize_html(markup) == markup


def test_links_keep_their_address_and_get_no_rel_from_the_sanitiser():
    cleaned = sanitize_html('<a href="/go/knee-sleeve/" rel="sponsored" ping="/x">sleeve</a>')
    assert cleaned == '<a href="/go/knee-sleeve/">sleeve</a>'


def test_only_the_note_class_survives_on_paragraphs():
    assert sanitize_html('<p class="note shout">x</p>') == '<p class="note">x</p>'
    assert sanitize_html('<p class="shout">x</p>') == "<p>x</p>"


def test_style_keeps_only_plain_sizes_and_alignment():
    cleaned = sanitize_html('<img src="/a.png" style="width:800px;height:500px;position:fixed">')
    assert cleaned == '<img src="/a.png" style="width: 800px; height: 500px">'


def test_iframes_are_kept_only_from_allow_listed_video_hosts_and_run_sandboxed(settings):
    settings.SANITIZE_IFRAME_HOSTS = ["www.youtube-nocookie.com"]
    kept = sanitize_html('<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>')
    assert 'src="https://www.youtube-nocookie.com/embed/abc"' in kept
    assert 'sandbox="allow-scripts allow-same-origin allow-presentation"' in kept
    assert 'referrerpolicy="no-referrer"' in kept
    assert sanitize_html('<iframe src="http://www.youtube-nocookie.com/embed/abc"></iframe>') == ""
    assert sanitize_html('<iframe src="https://evil.example/embed/abc"></iframe>') == ""


@pytest.mark.django_db
def test_article_bodies_and_category_intros_are_sanitised_on_save():
    article = ArticleFactory(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    category = CategoryFactory(intro='<p>Hub</p><img src=x onerror="alert(1)">')
    assert article.body == "<p>Hi</p>"
    assert article.body_html == "<p>Hi</p>"
    assert category.intro == '<p>Hub</p><img src="x">'


def test_headings_get_ids_made_from_their_text_unique_within_the_page():
    markup = (
        "<h2>What Causes Runner&#x27;s Knee?</h2><h3>Weak <em>hips</em></h3>"
        '<h2>Recovery</h2><h2>Recovery</h2><h2>  </h2><h2>Comments</h2><h2 id="x">Top</h2>'
    )
    assert assign_heading_ids(markup) == (
        '<h2 id="what-causes-runners-knee">What Causes Runner&#x27;s Knee?</h2>'
        '<h3 id="weak-hips">Weak <em>hips</em></h3>'
        '<h2 id="recovery">Recovery</h2><h2 id="recovery-2">Recovery</h2>'
        '<h2 id="section">  </h2><h2 id="comments-2">Comments</h2><h2 id="top-2">Top</h2>'
    )


def test_heading_ids_are_stable_when_the_article_is_saved_again():
    once = assign_heading_ids(sanitize_html("<h2>Causes</h2><h3>Causes</h3>"))
    assert assign_heading_ids(sanitize_html(once)) == once


def test_the_table_of_contents_lists_h2_and_h3_in_order():
    body = assign_heading_ids("<p>Intro</p><h2>Causes</h2><h3>Hips &amp; knees</h3><h2>Rest</h2>")
    assert [(h.level, h.id, h.text) for h in table_of_contents(body)] == [
        (2, "causes", "Causes"),
        (3, "hips-knees", "Hips & knees"),
        (2, "rest", "Rest"),
    ]


def test_heading_ids_never_take_a_comment_permalink_or_the_comment_form_heading():
    html = assign_heading_ids("<h2>Comment 1</h2><h2>Comment form heading</h2>")
    assert 'id="comment-1"' not in html
    assert 'id="comment-form-heading"' not in html
    assert 'id="comment-1-2"' in html
