"""A WordPress post's content made into the HTML our articles store: what a
reader of the imported article sees, case by case."""

import pytest

from moving.wordpress_content import autop, convert


def test_blank_lines_are_paragraphs_and_single_breaks_are_line_breaks():
    assert autop("One line\nand the next.\n\nA new paragraph.") == (
        "<p>One line<br>\nand the next.</p>\n<p>A new paragraph.</p>"
    )


def test_block_elements_are_not_wrapped_and_pre_keeps_its_lines():
    html = convert(
        "Intro.\n<ul>\n<li>one</li>\n\n<li>two</li>\n</ul>\n<pre>code\n\nmore</pre>\nEnd."
    ).html
    assert "<p>Intro.</p>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<p>End.</p>" in html
    assert "<p><ul>" not in html
    assert "code" in html
    assert "more" in html


def test_block_content_is_not_given_extra_paragraphs():
    html = convert("<!-- wp:paragraph -->\n<p>One\ntwo</p>\n<!-- /wp:paragraph -->").html
    assert html.strip() == "<p>One\ntwo</p>"


@pytest.mark.parametrize(
    ("content", "caption"),
    [
        ('[caption width="300"]<img src="/a.jpg" alt="A"> Under it[/caption]', "Under it"),
        ('[caption caption="From the attribute"]<img src="/a.jpg" alt="A">[/caption]', None),
        (
            '[wp_caption]<a href="/a-big.jpg"><img src="/a.jpg" alt="A"></a> Linked[/wp_caption]',
            "Linked",
        ),
    ],
)
def test_captions_become_figures(content, caption):
    html = convert(content).html
    assert html.startswith("<figure>")
    assert '<img src="/a.jpg" alt="A">' in html
    expected = caption or "From the attribute"
    assert f"<figcaption>{expected}</figcaption>" in html


def test_unknown_shortcodes_go_but_their_text_stays_and_they_are_named():
    converted = convert('[box type="note"]Warm up first.[/box] [contact-form-7 id="4" /] [sic]')
    assert converted.html == "<p>Warm up first.  [sic]</p>"
    assert converted.shortcodes == ["box", "contact-form-7"]


def test_an_escaped_shortcode_is_shown_as_written():
    assert convert("Type [[gallery]] to show a gallery.").html == (
        "<p>Type [gallery] to show a gallery.</p>"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "[embed]https://youtu.be/abcdefghijk[/embed]",
            'src="https://www.youtube-nocookie.com/embed/abcdefghijk"',
        ),
        ("[embed]https://vimeo.com/12345[/embed]", 'src="https://player.vimeo.com/video/12345"'),
        (
            '[video src="https://media.example/run.mp4"]',
            '<a href="https://media.example/run.mp4">https://media.example/run.mp4</a>',
        ),
        ("[embed]https://www.youtube.com/watch?v=<script>[/embed]", "<a href="),
    ],
)
def test_embeds_become_the_allowed_player_or_a_link(content, expected):
    html = convert(content).html
    assert expected in html
    assert "<script" not in html


def test_headings_the_site_lacks_become_the_nearest_it_has():
    html = convert("<h1>Top</h1>\n<h6>Small</h6>").html
    assert "<h2>Top</h2>" in html
    assert "<h4>Small</h4>" in html


def test_script_and_event_handlers_never_survive():
    html = convert(
        '<p onclick="x()">Hi</p><script>alert(1)</script><a href="javascript:x">y</a>'
    ).html
    assert "onclick" not in html
    assert "alert" not in html
    assert "javascript" not in html


def test_images_and_links_are_offered_for_new_addresses():
    converted = convert(
        '<img src="https://old.example/a.jpg" alt="A"> <a href="https://old.example/?p=3">three</a>',
        image=lambda src: "/media/a.jpg",
        link=lambda href: "/three/" if href.endswith("?p=3") else None,
    )
    assert '<img src="/media/a.jpg" alt="A">' in converted.html
    assert '<a href="/three/">three</a>' in converted.html
