"""Demo comments on the Runner's Knee article: a short conversation, written
for this project, with a pinned reply from the site team, and one comment
waiting for a moderator."""

from datetime import datetime

from django.utils import timezone

from articles.models import Article
from comments.models import Comment, fingerprint

# (key, key of the comment it answers, name, e-mail, website, status, posted, text);
# the status "team" is an approved reply from the site team.
COMMENTS = [
    (
        "stairs",
        None,
        "Maria Lindqvist",
        "maria@mail.example",
        "",
        "approved",
        (2024, 11, 2, 18, 40),
        "Stairs were the worst part for me. Going down the office staircase hurt more than any "
        "run did.\n\nWhat finally helped was six weeks of slow step-downs and wall sits, three "
        "times a week. Boring, but my knee has been quiet since the spring.",
    ),
    (
        "sleeve",
        None,
        "Tom Okafor",
        "tom@mail.example",
        "https://tom-runs.example/",
        "approved",
        (2024, 11, 9, 7, 5),
        "I wore a knee sleeve for the first month back and it made the cold morning runs far "
        "more comfortable. It did not fix anything on its own, though: the hip exercises my "
        "physio gave me did that.",
    ),
    (
        "stairs-reply",
        "stairs",
        "Priya Raman",
        "priya@mail.example",
        "",
        "approved",
        (2024, 11, 12, 21, 15),
        "Thank you for this, Maria. How long was it before you could run downhill again without "
        "the ache coming back?",
    ),
    (
        "sleeve-team",
        "sleeve",
        "The clinic team",
        "",
        "",
        "team",
        (2024, 11, 10, 9, 0),
        "Thanks, Tom, that matches what we see: a sleeve can make running more comfortable, "
        "but strength work for the hips and thighs is what settles the knee. If it swells or "
        "gives way, see a physiotherapist before running again.",
    ),
    (
        "question",
        None,
        "Sam Becker",
        "sam@mail.example",
        "",
        "pending",
        (2025, 1, 20, 12, 30),
        "Does running on a treadmill count as a gentler return, or is it just as hard on the "
        "kneecap as the road?",
    ),
]


def load_demo_comments():
    """Create the demo comments that are missing; returns how many were made."""
    article = Article.objects.filter(slug="runners-knee").first()
    if article is None:
        return 0
    made, by_key = 0, {}
    for key, parent_key, name, email, website, status, posted, text in COMMENTS:
        created_at = timezone.make_aware(datetime(*posted))
        # The site team's reply is stored as one written in the admin would
        # be (comments.moderation.post_staff_reply), pinned, with no user.
        team = status == "team"
        status = "approved" if team else status
        comment, created = Comment.objects.get_or_create(
            article=article,
            fingerprint=fingerprint(email=email, text=text),
            defaults={
                "parent": by_key.get(parent_key),
                "name": name,
                "email": email,
                "website": website,
                "text": text,
                "status": status,
                "created_at": created_at,
                "approved_at": created_at if status == "approved" else None,
                "is_staff_reply": team,
                "is_pinned": team,
            },
        )
        by_key[key] = comment
        made += created
    return made
