"""A made-up old site, saved as a mirroring tool saves one: the test data of import_pages.

`write_mirror(folder, articles=N)` writes the home page, three hub pages and
N articles, with every feature the importer must handle (see
/work/shared/SBI-PAGES.md): the column layout, shared blocks and tool blocks,
the navigation's nav-header groups (one without a hub page), the Recent
Articles widget on every page, an RSS file, page-speed image names with
data-pin-media, lazily loaded images, missing and file-name alt texts,
captions, call-outs, multi-column blocks, layout and data tables, ads,
scripts, search boxes, inline styles, banners, Amazon links (amazon.com with
a tag, amzn.to), and links between pages in every old form, a broken one too.
Every word is made up for these tests. The bench reuses it for 2,000 pages.
"""

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image

HOST = "www.stride-clinic.example"
SITE = f"https://{HOST}"
HUBS = [
    ("Knee-Trouble.html", "Knee Trouble Explained", "Knee"),
    ("foot-and-ankle.html", "Foot and Ankle Aches", "Foot"),
    ("hip-pain.html", "Hip Pain for Runners", "Hip"),
]
WORDS = [
    "stride",
    "cadence",
    "tendon",
    "warm",
    "easy",
    "mileage",
    "rest",
    "ice",
    "hill",
    "track",
    "trail",
    "calf",
    "quad",
    "glute",
    "stretch",
    "foam",
    "roller",
    "shoe",
    "cushion",
    "gait",
    "form",
    "recovery",
    "strength",
    "balance",
    "swelling",
    "ache",
    "week",
    "morning",
    "evening",
    "slowly",
    "gently",
    "steady",
    "tempo",
]  # noqa: SIM905
FIRST = datetime(2019, 1, 7, 9, 30, tzinfo=UTC)
RECENT_LATER = timedelta(hours=1)
FILE_LATER = timedelta(days=1)


@dataclass
class ArticleSpec:
    number: int
    file: str
    title: str
    hub: str  # the hub's file name, or "" for a page only in the "Training" group
    published: datetime
    in_feed: bool
    in_recent: bool = False
    amazon: str = ""
    banner: bool = False
    image_alt: str = ""
    image_file: str = ""
    words: str = ""

    @property
    def slug(self):
        return self.file.rsplit(".", 1)[0].lower()


@dataclass
class SiteSpec:
    folder: Path
    articles: list = field(default_factory=list)

    def article(self, number):
        return self.articles[number]


def sentence(seed, length=12):
    return (
        " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length)).capitalize() + "."
    )


def _picture(path, *, size=(48, 36), colour=(180, 90, 40), fmt="JPEG"):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, fmt)


def article_file(number):
    # Some owners capitalise their file names.
    return f"Stride-Tip-{number}.html" if number % 4 == 3 else f"stride-tip-{number}.html"


def _title(number):
    return f"Stride Tip {number}: {WORDS[number % len(WORDS)].capitalize()} Care"


def specs(count):
    articles = []
    for number in range(count):
        hub = "" if number % 9 == 8 else HUBS[number % len(HUBS)][0]
        articles.append(
            ArticleSpec(
                number=number,
                file=article_file(number),
                title=_title(number),
                hub=hub,
                published=FIRST + timedelta(days=7 * number, hours=number % 5),
                in_feed=number % 3 != 2,
                amazon=(
                    f"https://www.amazon.com/dp/B0TEST{number:04d}?tag=stride-20"
                    if number % 2 == 0
                    else (f"https://amzn.to/tip{number}" if number % 5 == 1 else "")
                ),
                banner=number % 3 == 1,
                image_alt=f"Runner doing exercise {number} on a track",
                image_file=f"exercise-{number}.jpg",
                words=f"uniquephrase{number}",
            )
        )
    for spec in sorted(articles, key=lambda a: a.published, reverse=True)[:10]:
        spec.in_recent = True
    return articles


def _recent_widget(site):
    items = []
    for spec in sorted(site.articles, key=lambda a: a.published, reverse=True)[:10]:
        # An hour after the feed's time, so tests can tell which one was used.
        shown = spec.published + RECENT_LATER
        local = shown.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
        items.append(
            f"""<li><h3 class="WhatsNew-title"><a href="{SITE}/{spec.file}">{spec.title}</a></h3>
<p class="WhatsNew-time"><abbr title="{local}">{spec.published:%b %d, %y %I:%M %p}</abbr></p>
<div class="blogItThumbnail"><img src="{SITE}/images/{spec.image_file}" alt=""></div>
<p class="WhatsNew-content">Recent note {spec.number}: {sentence(spec.number, 8)}</p>
<p class="WhatsNew-more"><a href="{SITE}/{spec.file}">Read More</a></p></li>"""
        )
    return (
        '<!-- start: tool_blocks.whatsnew -->\n<div class="WhatsNew"><h2>Recent Articles</h2>'
        f"<ol>{''.join(items)}</ol></div>\n<!-- end: tool_blocks.whatsnew -->"
    )


def _navigation(site):
    groups = []
    for file, title, short in HUBS:
        links = [f'<li><a href="/{file}">{title}</a></li>']
        links += [
            f'<li><a href="/{a.file}">{a.title}</a></li>' for a in site.articles if a.hub == file
        ][:6]
        groups.append(f"<h3>{short}</h3><ul>{''.join(links)}</ul>")
    training = [f'<li><a href="{a.file}">{a.title}</a></li>' for a in site.articles if not a.hub]
    groups.append(f"<h3>Training Plans</h3><ul>{''.join(training)}</ul>")
    return (
        '<!-- start: tool_blocks.navbar -->\n<div class="Navigation">'
        + "".join(groups)
        + "</div>\n<!-- end: tool_blocks.navbar -->"
    )


def _frame(site, *, file, title, description, content, og_image=""):
    og = f'<meta property="og:image" content="{SITE}/images/{og_image}">' if og_image else ""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>{title}</title>
<meta name="description" content="{description}">
<link rel="canonical" href="{SITE}/{"" if file == "index.html" else file}">
<meta property="og:title" content="{title}"><meta property="og:description" content="{description}">{og}
<link rel="alternate" type="application/rss+xml" title="RSS" href="{SITE}/stride.xml">
<!-- start: tool_blocks.sbi_html_head -->
<script src="/sd/support-files/sbi.js"></script><link rel="stylesheet" href="/sd/support-files/style.css">
<!-- end: tool_blocks.sbi_html_head -->
<!-- start: shared_blocks.118#end-of-head -->
<script async src="https://www.googletagmanager.example/gtag.js"></script>
<!-- end: shared_blocks.118#end-of-head -->
</head><body>
<div id="PageWrapper"><div id="Header"><div class="Liner"><p>Stride Clinic header</p></div></div>
<div id="ContentWrapper">
<div id="ContentColumn"><div class="Liner">
{content}
</div><!-- end Liner --></div><!-- end ContentColumn -->
<div id="NavColumn"><div class="Liner">
<!-- start: shared_blocks.201#top-of-nav-column --><p>Menu</p><!-- end: shared_blocks.201#top-of-nav-column -->
{_navigation(site)}
</div></div>
<div id="ExtraColumn"><div class="Liner">
<!-- start: shared_blocks.301#top-extra-default -->
<form action="https://search.example/find"><input name="q"><button>Search</button></form>
<!-- end: shared_blocks.301#top-extra-default -->
{_recent_widget(site)}
<!-- start: tool_blocks.rssit --><div class="rssit"><a href="/stride.xml">RSS</a></div><!-- end: tool_blocks.rssit -->
</div></div>
</div></div>
<script>var analytics = "page view";</script>
</body></html>
"""


def _after_content(title, hub_file, hub_title):
    back = f'<p style="text-align:right"><a href="#top">Back to top of {title}</a></p>'
    ret = f'<p><a href="/{hub_file}">Return to {hub_title}</a></p>' if hub_file else ""
    return f"""{back}
{ret}
<p class="ftc">FTC Disclosure: As an associate of a shop, I earn from purchases. <a href="/disclosure.html">Learn more</a></p>
<!-- start: tool_blocks.faceit_comment --><div class="fb-comments" data-href="{SITE}"></div><!-- end: tool_blocks.faceit_comment -->
<div id="disqus_thread"></div><script>var disqus_config = function () {{}};</script>
"""


def _below_h1():
    return (
        "<!-- start: shared_blocks.55#below-h1 -->\n"
        '<div class="ImageBlock ImageBlockCenter"><a href="https://www.amazon.com/outlet?tag=stride-20">'
        '<img src="/images/site-banner.png" alt="Shop the running outlet"></a></div>\n'
        "<!-- end: shared_blocks.55#below-h1 -->"
    )


def _article_content(site, spec):
    n = spec.number
    others = site.articles
    nxt = others[(n + 1) % len(others)]
    prev = others[(n - 1) % len(others)]
    hub_title = next((t for f, t, _ in HUBS if f == spec.hub), "")
    image = spec.image_file
    # Each image in one of the forms the old site published.
    if n % 5 == 4:
        img = f'<img src="/sd/support-files/blank.gif" data-src="/images/{image}" alt="">'
    elif n % 4 == 1:
        img = (
            f'<img src="/images/x{image}.pagespeed.ic.Ab12Cd.jpg" '
            f'data-pin-media="{SITE}/images/{image}" alt="{image}">'
        )
    else:
        img = (
            f'<img src="/images/x{image}.pagespeed.ic.Zz9{n}.jpg" '
            f'data-pin-media="{SITE}/images/{image}" alt="{spec.image_alt}" style="width:100%">'
        )
    amazon = (
        f'<li>A <a href="{spec.amazon}" target="_blank">support sleeve {n}</a> can help.</li>'
        if spec.amazon
        else "<li>Rest well.</li>"
    )
    banner = (
        f'<div class="ImageBlock ImageBlockCenter"><a href="https://www.amazon.com/deals/{n % 2}?tag=stride-20">'
        f'<img src="/images/banner-{n % 2}.png" alt="Running gear deals {n % 2}"></a></div>'
        if spec.banner
        else ""
    )
    table = (
        "<table><tr><th>Week</th><th>Distance</th></tr><tr><td>One</td><td>5 km</td></tr>"
        "<tr><td>Two</td><td>8 km</td></tr></table>"
        if n % 6 == 0
        else ""
    )
    # Links to other pages in every old form, and one broken.
    link_forms = [
        f'<a href="{SITE}/{nxt.file}">{nxt.title}</a>',
        f'<a href="{prev.file.upper()}">the tip before</a>',
        f'<a href="./{prev.slug}.htm">the same tip again</a>',
        f'<a href="http://{HOST.removeprefix("www.")}/{nxt.slug}/index.html#part">part two</a>',
        '<a href="/no-such-page.html">a page that never existed</a>',
    ]
    return f"""<h1 style="color:#333;font-size:30px">{spec.title}</h1>
{_below_h1()}
<p>{sentence(n)} The {spec.words} marker lives here.<br/></p>
<div class="CalloutBox"><p><b>NOTE:</b> If the ache sits elsewhere, read <a href="{SITE}/{nxt.file}">{nxt.title}</a>.</p></div>
{banner}
<div id="ezoic-pub-ad-placeholder-101"></div>
<ins class="adsbygoogle" data-ad-client="ca-pub-0"></ins><script>(adsbygoogle = []).push({{}});</script>
<h2><span style="font-size:22px">What is going on?<br/></span></h2>
<div class="ImageBlock ImageBlockCenter">{img}<span class="Caption CaptionCenter">Caption {n}: a steady stride</span></div>
<p style="font-family:Georgia">{sentence(n + 1)} See {link_forms[0]} and {link_forms[1]}.</p>
<table style="width:100%"><tr><td><p>{sentence(n + 2)}</p><div class="ImageBlock ImageBlockLeft"><img src="/images/shared-stretch.png" alt="A calf stretch against a wall"></div></td></tr></table>
<h2>What helps</h2>
<ul>{amazon}<li>{sentence(n + 3, 6)}</li></ul>
<div class="responsive_grid_block-2"><div class="responsive_col-1"><p>Left column {n}: {link_forms[2]}.</p></div><div class="responsive_col-2"><p>Right column {n}: {link_forms[3]} and {link_forms[4]}.</p></div></div>
{table}
<form class="gcse-search"><input name="q"></form>
<script>track("{n}");</script>
{_after_content(spec.title, spec.hub, hub_title)}"""


def _hub_content(site, file, title):
    mine = [a for a in site.articles if a.hub == file]
    teasers = "".join(
        f'<h3><a href="{a.file}">{a.title}</a></h3><p>{sentence(a.number, 6)}</p>' for a in mine
    )
    return f"""<h1>{title}</h1>
{_below_h1()}
<p>This hub gathers what we wrote about {title.lower()}. {sentence(len(title))}</p>
{teasers}
<p><a href="#top">Back to top of {title}</a></p>
<p><a href="/">Return to Home</a></p>"""


def _home_content(site):
    hubs = "".join(f'<li><a href="{SITE}/{file}">{title}</a></li>' for file, title, _ in HUBS)
    return f"""<h1>Welcome to the Stride Clinic</h1>
{_below_h1()}
<p>We help runners get back on the road. {sentence(3)}</p>
<ul>{hubs}</ul>
<div class="socializeit"><a href="https://share.example/">Share</a></div>"""


def _rss(site):
    items = "".join(
        f"""<item><title>{a.title}</title><link>{SITE}/{a.file}</link>
<description>Feed summary of tip {a.number}: {sentence(a.number, 7)}</description>
<pubDate>{a.published:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"""
        for a in site.articles
        if a.in_feed
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Stride Clinic</title><link>{SITE}/</link>
<description>Running injuries</description>{items}</channel></rss>
"""


def write_mirror(folder, *, articles=28, host_folder=False):
    """Write the old site into `folder` (inside a folder named after its host
    when `host_folder`, as wget does); return its SiteSpec."""
    folder = Path(folder)
    root = folder / HOST if host_folder else folder
    root.mkdir(parents=True, exist_ok=True)
    site = SiteSpec(folder=root, articles=specs(articles))
    images = root / "images"
    _picture(images / "site-banner.png", size=(60, 20), fmt="PNG")
    _picture(images / "shared-stretch.png", size=(40, 40), colour=(20, 120, 60), fmt="PNG")
    for n in range(2):
        _picture(
            images / f"banner-{n}.png", size=(72, 24), colour=(200, 40 + n * 80, 40), fmt="PNG"
        )
    for spec in site.articles:
        n = spec.number
        colour = (n * 37 % 255, n * 91 % 255, n * 53 % 255)
        if n % 7 == 6:
            pass  # this article's picture was never saved by the mirroring tool
        elif n % 4 == 2:
            # Only the page-speed copy was saved, not the original.
            _picture(images / f"x{spec.image_file}.pagespeed.ic.Zz9{n}.jpg", colour=colour)
        else:
            _picture(images / spec.image_file, colour=colour)
        page = _frame(
            site,
            file=spec.file,
            title=f"{spec.title} | Stride Clinic",
            description=f"Description of stride tip {n}.",
            content=_article_content(site, spec),
            og_image=spec.image_file if n % 2 else "",
        )
        path = root / spec.file
        path.write_text(page, encoding="utf-8")
        stamp = (spec.published + FILE_LATER).timestamp()
        os.utime(path, (stamp, stamp))
    for file, title, _ in HUBS:
        (root / file).write_text(
            _frame(
                site,
                file=file,
                title=title,
                description=f"All about {title.lower()}.",
                content=_hub_content(site, file, title),
            ),
            encoding="utf-8",
        )
    (root / "index.html").write_text(
        _frame(
            site,
            file="index.html",
            title="Stride Clinic",
            description="Running injuries.",
            content=_home_content(site),
        ),
        encoding="utf-8",
    )
    (root / "stride.xml").write_text(_rss(site), encoding="utf-8")
    support = root / "sd" / "support-files"
    support.mkdir(parents=True, exist_ok=True)
    (support / "sbi.js").write_text("var x = 1;\n")
    return site
