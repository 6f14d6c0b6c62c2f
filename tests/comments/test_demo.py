import pytest
from django.core.management import call_command

from comments.models import Comment

pytestmark = pytest.mark.django_db


def test_demo_content_has_approved_comments_with_a_reply_and_one_pending():
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)

    comments = Comment.objects.filter(article__slug="runners-knee")
    assert comments.approved().count() == 3
    assert comments.pending().count() == 1
    assert comments.approved().filter(parent__isnull=False).count() == 1
    assert Comment.objects.count() == 4
