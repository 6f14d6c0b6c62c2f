import pytest

from comments.text import count_links, render_comment_text


def test_html_in_a_comment_is_shown_as_text_never_interpreted():
    html = render_comment_text('<script>alert("x")</script><b onclick="x()">bold</b>')
    assert html == (
        "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        "&lt;b onclick=&quot;x()&quot;&gt;bold&lt;/b&gt;</p>"
    )


def test_blank_lines_make_paragraphs_and_single_line_breaks_are_kept():
    text = "First paragraph\nstill first.\n\n\n  \nSecond paragraph.\r\n\r\nThird."
    assert render_comment_text(text) == (
        "<p>First paragraph<br>still first.</p>\n<p>Second paragraph.</p>\n<p>Third.</p>"
    )


def test_web_addresses_become_links_marked_as_user_content():
    html = render_comment_text("See https://example.com/knee?a=1&b=2 and www.example.org.")
    assert '<a href="https://example.com/knee?a=1&amp;b=2" rel="nofollow ugc noopener">' in html
    assert (
        '<a href="http://www.example.org" rel="nofollow ugc noopener">www.example.org</a>' in html
    )


def test_a_typed_link_attribute_cannot_break_out_of_the_text():
    html = render_comment_text('x" rel="nofollow" onmouseover="alert(1)')
    assert "onmouseover=&quot;" in html
    assert "<a" not in html


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("No links here, just knees.", 0),
        ("One: https://example.com", 1),
        ("http://a.example https://b.example www.c.example", 3),
        ('<a href="x">spam</a> [url=y]spam[/url]', 2),
    ],
)
def test_links_are_counted_for_moderation(text, links):
    assert count_links(text) == links


def test_a_readers_link_to_an_affiliate_shop_is_marked_sponsored():
    html = render_comment_text(
        "Mine came from https://www.amazon.com/dp/B000TEST and https://example.org/x"
    )
    assert (
        '<a href="https://www.amazon.com/dp/B000TEST" rel="sponsored nofollow ugc noopener">'
        in html
    )
    assert '<a href="https://example.org/x" rel="nofollow ugc noopener">' in html
