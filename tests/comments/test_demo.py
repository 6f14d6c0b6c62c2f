import pytest
from django.core.management import call_command

from comments.models import Comment

pytestmark = pytest.mark.django_db


def test_demo_content_has_approved_comments_with_replies_one_from_the_team_and_one_pending():
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)

    comments = Comment.objects.filter(article__slug="runners-knee")
    assert comments.approved().count() == 4
    assert comments.pending().count() == 1
    assert comments.approved().filter(parent__isnull=False).count() == 2
    team = comments.get(is_staff_reply=True)
    assert team.is_pinned
    assert team.parent.name == "Tom Okafor"
    assert team.is_approved
    assert Comment.objects.count() == 5
