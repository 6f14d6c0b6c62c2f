"""{% url %} and get_absolute_url() remember their answers (core.urls); the
links a reader follows must stay exactly what reverse() gives."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.urls import cached_reverse
from tests.factories import ArticleFactory


def render(source, **context):
    return Template(source).render(Context(context))


def test_the_url_tag_gives_what_reverse_gives_with_args_kwargs_and_as():
    assert render("{% url 'articles:home' %}") == reverse("articles:home")
    assert render("{% url 'articles:page' slug=s %}", s="runners-knee") == "/runners-knee/"
    assert render("{% url 'comments:post' 7 %}") == reverse("comments:post", args=[7])
    assert render("{% url 'articles:page' slug='x' as here %}[{{ here }}]") == "[/x/]"


def test_a_url_that_cannot_be_made_still_fails_or_is_empty_with_as():
    with pytest.raises(NoReverseMatch):
        render("{% url 'articles:no-such-page' %}")
    assert render("{% url 'articles:no-such-page' as here %}[{{ here }}]") == "[]"
    # A failure is not remembered as an answer either.
    with pytest.raises(NoReverseMatch):
        cached_reverse("articles:no-such-page")


def test_a_site_under_a_sub_path_gets_its_prefix_and_loses_it_again():
    """The script prefix (a site served under /running/ by the proxy) is part of the key."""
    assert cached_reverse("articles:page", kwargs={"slug": "knee"}) == "/knee/"
    try:
        set_script_prefix("/running/")
        assert cached_reverse("articles:page", kwargs={"slug": "knee"}) == "/running/knee/"
        assert render("{% url 'articles:page' slug='knee' %}") == "/running/knee/"
    finally:
        set_script_prefix("/")
    assert cached_reverse("articles:page", kwargs={"slug": "knee"}) == "/knee/"


def test_another_url_configuration_gets_its_own_answers():
    assert cached_reverse("articles:page", kwargs={"slug": "knee"}) == "/knee/"
    with override_settings(ROOT_URLCONF="tests.core.other_urls"):
        assert cached_reverse("page", kwargs={"slug": "knee"}) == "/elsewhere/knee/"
    with pytest.raises(NoReverseMatch):
        cached_reverse("page", kwargs={"slug": "knee"})


def test_values_equal_in_python_but_written_differently_are_kept_apart():
    assert cached_reverse("articles:page", args=["1"]) == "/1/"
    assert cached_reverse("comments:post", args=[1]) == "/comments/post/1/"
    with pytest.raises(NoReverseMatch):
        cached_reverse("comments:post", args=[True])


@pytest.mark.django_db
def test_an_article_renamed_links_to_its_new_address():
    article = ArticleFactory(slug="old-name")
    assert article.get_absolute_url() == "/old-name/"
    article.slug = "new-name"
    assert article.get_absolute_url() == "/new-name/"
