"""Disqus exports of our own making, written by the tests that need them."""

from xml.sax.saxutils import escape, quoteattr

HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
    '<category dsq:id="1"><forum>old</forum><title>General</title></category>\n'
)


def thread(thread_id, link, *, identifier="", deleted=False):
    return (
        f"<thread dsq:id={quoteattr(thread_id)}><id>{escape(identifier)}</id>"
        f"<link>{escape(link)}</link><title>A page</title>"
        f"<isDeleted>{'true' if deleted else 'false'}</isDeleted></thread>\n"
    )


def post(
    post_id,
    thread_id,
    *,
    message="<p>My knee hurts.</p>",
    created="2017-01-01T10:00:00Z",
    parent=None,
    name="Runner",
    email="runner@example.com",
    deleted=False,
    spam=False,
    ip="192.0.2.1",
):
    """One <post>; `post_id` None leaves out its dsq:id, `created` None its date."""
    ident = f" dsq:id={quoteattr(post_id)}" if post_id is not None else ""
    date = f"<createdAt>{escape(created)}</createdAt>" if created is not None else ""
    reply = f"<parent dsq:id={quoteattr(parent)}/>" if parent else ""
    return (
        f"<post{ident}><id/><message><![CDATA[{message}]]></message>{date}"
        f"<isDeleted>{'true' if deleted else 'false'}</isDeleted>"
        f"<isSpam>{'true' if spam else 'false'}</isSpam>"
        f"<author><name>{escape(name)}</name><email>{escape(email)}</email></author>"
        f"<ipAddress>{ip}</ipAddress><thread dsq:id={quoteattr(thread_id)}/>{reply}</post>\n"
    )


def write_export(path, *elements):
    path.write_text(HEAD + "".join(elements) + "</disqus>\n", encoding="utf-8")
    return path
