"""{% fragment "name" key... %}...{% endfragment %}: a part of a template kept
in the cache until content changes (pagecache.cached_fragment).

For parts that depend only on saved content, such as an article's heading,
body and sharing tags: a rendered page (a page cache miss, a logged-in
editor, or the whole site with PAGE_CACHE_ENABLED off) then renders them once
per content change instead of on every request. The key names what the part
depends on (say the article's id); the address the request came in on is
added, since absolute links in a part are made from it when SITE_URL is unset.
Nothing that differs between readers may go inside.
"""

from django import template

from pagecache import cached_fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        names = [str(part.resolve(context)) for part in self.parts]
        request = context.get("request")
        if request is not None:
            names.append(f"{request.scheme}://{request.get_host()}")
        return cached_fragment(":".join(names), lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    parts = token.split_contents()[1:]
    if not parts:
        raise template.TemplateSyntaxError(
            '{% fragment %} needs a name, such as "article" article.pk.'
        )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(part) for part in parts])
