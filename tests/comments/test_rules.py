"""The "Comment rules" page: the owner's moderation rules, edited in the admin."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from comments.models import Comment, CommentRules
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

RULES_URL = reverse("admin:comments_commentrules_change", args=[1])
MEDICAL = "stop taking your prescribed medication and double the dose"


def form_data(**changes):
    """The rules page's fields as the browser posts them, with `changes`."""
    rules = CommentRules.current()
    data = {
        "max_links": rules.max_links,
        "moderation_words": rules.moderation_words,
        "block_words": rules.block_words,
        "red_flag_phrases": rules.red_flag_phrases,
        "rate_limit": rules.rate_limit,
        "rate_limit_period": rules.rate_limit_period,
    }
    if rules.auto_approve_known_emails:
        data["auto_approve_known_emails"] = "on"
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


@pytest.fixture
def save_rules(admin_client):
    def save(**changes):
        response = admin_client.post(RULES_URL, form_data(**changes))
        assert response.status_code == 302, response.content.decode()[:2000]
        return response

    return save


@pytest.fixture
def known_reader():
    return CommentFactory(email="known@example.com").email


def posted(post_comment, article, **fields):
    post_comment(article, **fields)
    return Comment.objects.latest("pk")


def test_a_new_site_starts_from_the_settings(settings):
    settings.COMMENTS_MAX_LINKS = 7
    settings.COMMENTS_MODERATION_WORDS = ["casino", "free trial"]
    settings.COMMENTS_BLOCK_WORDS = ["viagra"]
    settings.COMMENTS_AUTO_APPROVE_KNOWN_EMAILS = False
    settings.COMMENTS_RATE_LIMIT = 9
    settings.COMMENTS_RATE_LIMIT_PERIOD = 120

    rules = CommentRules.current()

    assert (rules.pk, rules.max_links, rules.rate_limit, rules.rate_limit_period) == (1, 7, 9, 120)
    assert rules.moderation_words.splitlines() == ["casino", "free trial"]
    assert rules.block_words.splitlines() == ["viagra"]
    assert rules.auto_approve_known_emails is False
    assert "double the dose" in rules.red_flag_phrases.splitlines()
    assert CommentRules.current().pk == 1
    assert CommentRules.objects.count() == 1


def test_the_rules_list_opens_the_one_page_which_cannot_be_added_or_deleted(admin_client):
    response = admin_client.get(reverse("admin:comments_commentrules_changelist"))
    assertRedirects(response, RULES_URL)
    page = admin_client.get(RULES_URL)
    assertContains(page, "One phrase a line.")
    assertContains(page, "double the dose")
    assert admin_client.get(reverse("admin:comments_commentrules_add")).status_code == 403
    delete = reverse("admin:comments_commentrules_delete", args=[1])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert CommentRules.objects.count() == 1


def test_a_change_in_the_admin_applies_to_the_next_post(
    post_comment, save_rules, known_reader, settings
):
    settings.COMMENTS_RATE_LIMIT = 100
    article = ArticleFactory()
    two_links = "See https://a.example and https://b.example"
    assert posted(post_comment, article, email=known_reader, text=two_links).status == "approved"

    save_rules(max_links=1)
    held = posted(post_comment, article, email=known_reader, text=two_links + " again")
    assert (held.status, held.held_reason) == ("pending", "Has 2 links (more than 1).")

    save_rules(moderation_words="ultrasound\nfree trial")
    held = posted(post_comment, article, email=known_reader, text="A FREE   trial of shoes")
    assert (held.status, held.held_reason) == (
        "pending",
        "Contains “free trial” from the moderation list.",
    )

    save_rules(block_words="cheap pills")
    spam = posted(post_comment, article, email=known_reader, text="Cheap pills here")
    assert (spam.status, spam.held_reason) == (
        "spam",
        "Contains “cheap pills” from the block list.",
    )

    save_rules(auto_approve_known_emails=False)
    waiting = posted(post_comment, article, email=known_reader, text="Thanks for this.")
    assert (waiting.status, waiting.held_reason) == ("pending", "")


def test_the_rate_limit_from_the_admin_applies_to_the_next_post(post_comment, save_rules):
    article = ArticleFactory()
    save_rules(rate_limit=1, rate_limit_period=600)
    assert post_comment(article, text="First.").status_code == 302
    response = post_comment(article, text="Second.")
    assert response.status_code == 429
    assertContains(response, "Second.", status_code=429)


def test_a_medical_red_flag_holds_even_a_known_commenter(post_comment, known_reader, client):
    article = ArticleFactory()
    ordinary = posted(post_comment, article, email=known_reader, text="Rest helped me.")
    assert ordinary.status == "approved"

    held = posted(post_comment, article, email=known_reader, text=MEDICAL.upper())

    assert held.status == "pending"
    assert held.held_reason == "Medical red flag: “stop taking your”. A person should read it."
    assert MEDICAL.upper() not in client.get(article.get_absolute_url()).content.decode()


def test_the_held_reason_reads_in_the_moderation_list(post_comment, known_reader, admin_client):
    posted(post_comment, ArticleFactory(), email=known_reader, text="I can’t breathe on hills.")
    response = admin_client.get(reverse("admin:comments_comment_changelist"))
    assertContains(response, "Medical red flag: “can&#x27;t breathe”. A person should read it.")


@pytest.mark.parametrize("text", ["My img of the run", "Took 10smgx of something", "mg ofx"])
def test_a_phrase_matches_whole_words_only(post_comment, known_reader, text):
    comment = posted(post_comment, ArticleFactory(), email=known_reader, text=text)
    assert (comment.status, comment.held_reason) == ("approved", "")


def test_the_owner_edits_the_red_flag_list(post_comment, known_reader, save_rules):
    article = ArticleFactory()
    save_rules(red_flag_phrases="  ibuprofen every hour \n\n")

    held = posted(post_comment, article, email=known_reader, text="Take ibuprofen  every hour.")
    assert held.held_reason == "Medical red flag: “ibuprofen every hour”. A person should read it."
    dropped = posted(post_comment, article, email=known_reader, text="Never overdose.")
    assert dropped.status == "approved"


@pytest.mark.parametrize("size", [0, 20000])
def test_an_empty_or_huge_list_is_saved_and_used(post_comment, known_reader, save_rules, size):
    phrases = "\n".join(f"phrase number {n}" for n in range(size))
    save_rules(red_flag_phrases=phrases, moderation_words=phrases, block_words=phrases)

    ok = posted(post_comment, ArticleFactory(), email=known_reader, text="Fine. " + MEDICAL)
    assert ok.status == "approved"
    if size:
        held = posted(
            post_comment, ArticleFactory(), email=known_reader, text="phrase number 19999"
        )
        assert held.status == "spam"


def test_a_moderator_may_not_open_or_change_the_rules(client, moderator):
    client.force_login(moderator)
    assert client.get(RULES_URL).status_code == 403
    assert client.get(reverse("admin:comments_commentrules_changelist")).status_code == 403
    assert client.post(RULES_URL, form_data(max_links=50)).status_code == 403
    assert CommentRules.current().max_links != 50


def test_the_history_records_who_changed_what(save_rules, admin_user, admin_client):
    save_rules(max_links=4)

    change = CommentRules.history.latest()
    assert (change.history_user, change.max_links, change.history_type) == (admin_user, 4, "~")
    page = admin_client.get(reverse("admin:comments_commentrules_history", args=[1]))
    assertContains(page, admin_user.username)
