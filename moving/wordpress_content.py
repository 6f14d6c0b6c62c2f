"""A WordPress post's content as clean HTML for our sanitiser.

WordPress stores either block markup (HTML between `<!-- wp:... -->`
comments, already in paragraphs) or classic content, where paragraphs are
only blank lines and WordPress adds the <p> and <br> when it shows the page
(its wpautop filter); both may carry shortcodes. Here:

- block comments go, and classic content gets its paragraphs the way wpautop
  gives them (a blank line ends a paragraph, a single line break is a <br>,
  block-level elements are left alone);
- [caption] becomes a <figure> with its <figcaption>; [embed] and the
  players' shortcodes become a link to what they showed (a YouTube or Vimeo
  address becomes the allowed player); every other shortcode is dropped,
  its enclosed text kept, and named for the report;
- headings the site does not have are mapped to the nearest it has (h1 → h2,
  h5 and h6 → h4);
- the result goes through articles.sanitize, then each image and link is
  offered to the caller, which may give it a new address (the copy in
  MEDIA_ROOT, an imported article's new address).
"""

import html
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from articles.sanitize import sanitize_html
from core.markup import parse, splice, start_tag

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
# Elements wpautop never wraps in a paragraph.
_BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|"
    "area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|"
    "hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|script|noscript"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCKS})[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCKS})>)", re.IGNORECASE)
_STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{_BLOCKS})[\s/>]", re.IGNORECASE)
_PRE = re.compile(r"<pre[\s>].*?</pre>", re.IGNORECASE | re.DOTALL)
# [name attributes], [name attributes /], [/name]; [[name]] is an escaped,
# literal shortcode.
_SHORTCODE = re.compile(
    r"\[(\[?)(/?)([A-Za-z][\w-]*)((?:[^\[\]\"']|\"[^\"]*\"|'[^']*')*?)(/?)\](\]?)"
)
_ATTRIBUTE = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"']+))")
# Shortcodes WordPress itself knows, taken as shortcodes even without
# attributes or a closing tag; any other bracketed word is one only when it
# has attributes, is closed later or ends with "/]" ("[sic]" stays text).
_KNOWN = {"caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist"}
_PLAYERS = {"embed", "audio", "video"}
_HEADINGS = [
    (re.compile(r"<(/?)h1(?=[\s>])", re.IGNORECASE), r"<\1h2"),
    (re.compile(r"<(/?)h[56](?=[\s>])", re.IGNORECASE), r"<\1h4"),
]
# Elements whose structure the sanitiser does not keep (their text stays):
# named in the report so the owner can look at those posts.
NOT_KEPT = ("table", "form", "video", "audio", "object", "embed", "dl", "pre")
_NOT_KEPT = re.compile(rf"<({'|'.join(NOT_KEPT)})[\s>]", re.IGNORECASE)


@dataclass
class Converted:
    html: str
    shortcodes: list = field(default_factory=list)  # names dropped, in order, once each
    not_kept: list = field(default_factory=list)  # element names the sanitiser drops


def convert(content, *, image=None, link=None):
    """Clean HTML for the WordPress `content`. `image(src)` and `link(href)`
    may return a new address (or None to keep it) for each image and link."""
    content = (content or "").replace("\r\n", "\n").replace("\r", "\n")
    has_blocks = "<!-- wp:" in content
    content = _BLOCK_COMMENT.sub("", content)
    dropped = []
    content = _shortcodes(content, dropped)
    if not has_blocks:
        content = autop(content)
    for pattern, replacement in _HEADINGS:
        content = pattern.sub(replacement, content)
    not_kept = sorted({match.lower() for match in _NOT_KEPT.findall(content)})
    clean = sanitize_html(content)
    clean = _rewrite(clean, image=image, link=link)
    return Converted(html=clean, shortcodes=list(dict.fromkeys(dropped)), not_kept=not_kept)


def autop(text):
    """Paragraphs from blank lines, as WordPress's wpautop makes them:
    block-level elements stand on their own, other text between blank lines
    becomes a <p>, and a single line break inside it a <br>. <pre> is kept
    as written."""
    kept = []

    def keep(match):
        kept.append(match[0])
        return f"\n\n\x00{len(kept) - 1}\x00\n\n"

    text = _PRE.sub(keep, text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if re.fullmatch(r"\x00\d+\x00", chunk):
            out.append(kept[int(chunk.strip("\x00"))])
        elif _STARTS_WITH_BLOCK.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    return "\n".join(out)


def _attributes(text):
    return {
        name.lower(): next(value for value in values if value is not None)
        for name, *values in _ATTRIBUTE.findall(html.unescape(text or ""))
    }


def _shortcodes(content, dropped):
    """Content with its shortcodes made into HTML or dropped (their names
    added to `dropped`), their enclosed content kept."""
    closed = {match[3].lower() for match in _SHORTCODE.finditer(content) if match[2]}
    out, position = [], 0
    stack = []  # (name, attributes, index in out where its content starts)
    for match in _SHORTCODE.finditer(content):
        escaped_open, closing, name, attributes, self_closing, escaped_close = match.groups()
        lower = name.lower()
        is_shortcode = lower in _KNOWN or lower in closed or "=" in attributes or bool(self_closing)
        if not is_shortcode:
            continue
        out.append(content[position : match.start()])
        position = match.end()
        if escaped_open and escaped_close:
            out.append(match[0][1:-1])  # [[name]] is the literal text [name]
            continue
        if not closing:
            if lower in closed and not self_closing:
                stack.append((lower, _attributes(attributes), len(out)))
            else:
                out.append(_alone(lower, _attributes(attributes), dropped))
            continue
        # A closing tag: the nearest open one of its name takes what came since.
        index = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == lower), None)
        if index is None:
            continue  # a stray [/name]
        open_name, open_attributes, start = stack[index]
        del stack[index:]
        inner = "".join(out[start:])
        del out[start:]
        out.append(_enclosing(open_name, open_attributes, inner, dropped))
    out.append(content[position:])
    return "".join(out)


def _alone(name, attributes, dropped):
    """What a shortcode without content becomes."""
    if name in _PLAYERS and attributes.get("src"):
        return _player(attributes["src"])
    dropped.append(name)
    return ""


def _enclosing(name, attributes, inner, dropped):
    """What a shortcode around `inner` becomes."""
    if name in ("caption", "wp_caption"):
        return _figure(inner, attributes.get("caption", ""))
    if name in _PLAYERS:
        address = inner.strip() or attributes.get("src", "")
        if re.fullmatch(r"https?://\S+", address):
            return _player(address)
    dropped.append(name)
    return inner


def _figure(inner, caption):
    """[caption]<img …> The caption[/caption] (the caption may also be an
    attribute) as <figure><img …><figcaption>The caption</figcaption></figure>."""
    match = re.match(r"\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)$", inner, re.DOTALL)
    if not match:
        return inner
    text = match[2].strip() or html.escape(caption)
    return f"<figure>{match[1]}<figcaption>{text}</figcaption></figure>" if text else match[1]


def _player(address):
    """A video address as the allowed player (YouTube without cookies, Vimeo),
    anything else as a link to it."""
    parts = urlsplit(address)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video = None
    if host == "youtube.com" and parts.path == "/watch":
        video = parse_qs(parts.query).get("v", [None])[0]
    elif host == "youtu.be":
        video = parts.path.strip("/")
    if video and re.fullmatch(r"[\w-]{6,20}", video):
        src = f"https://www.youtube-nocookie.com/embed/{video}"
        return f'<iframe src="{src}" width="560" height="315" title="YouTube video"></iframe>'
    if host == "vimeo.com" and re.fullmatch(r"/\d+", parts.path):
        src = f"https://player.vimeo.com/video{parts.path}"
        return f'<iframe src="{src}" width="560" height="315" title="Vimeo video"></iframe>'
    escaped = html.escape(address)
    return f'<p><a href="{escaped}">{escaped}</a></p>'


def _rewrite(clean, *, image, link):
    """`clean` (sanitised HTML) with the new addresses `image` and `link` give."""
    if image is None and link is None:
        return clean
    edits = []
    for token in parse(clean):
        if token.kind != "start":
            continue
        name = {"img": "src", "a": "href"}.get(token.tag)
        change = {"img": image, "a": link}.get(token.tag)
        value = token.attrs.get(name) if name else None
        if not value or change is None:
            continue
        new = change(value)
        if new and new != value:
            edits.append((token.start, token.end, start_tag(token.tag, {**token.attrs, name: new})))
    return splice(clean, edits)
