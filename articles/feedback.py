"""“Was this page helpful?”: a yes or no under each article, with an optional
short comment, counted per article per day for the owner.

The form is the same for every reader of a page, so the page stays cached
whole: it carries no cookie and no per-reader CSRF token. A post is taken
only from this site's own pages (core.origin checks the Origin or Referer
header, which another site cannot forge) and with the form's signed token
naming the article; answers are rate-limited per reader address.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import HelpfulComment, HelpfulDay
from articles.models.feedback import MAX_FEEDBACK_LENGTH
from articles.text import drop_control_characters
from pagecache.ratelimit import is_over_limit

SALT = "articles.helpful"


def make_token(article):
    return signing.Signer(salt=SALT).sign_object({"article": article.pk})


def token_is_for(token, article):
    try:
        return int(signing.Signer(salt=SALT).unsign_object(token or "")["article"]) == article.pk
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return False


class HelpfulForm(forms.Form):
    helpful = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        error_messages={"required": "Choose Yes or No.", "invalid_choice": "Choose Yes or No."},
    )
    comment = forms.CharField(
        label="Anything we should add or explain better? (optional, not published)",
        required=False,
        max_length=MAX_FEEDBACK_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_FEEDBACK_LENGTH}),
        error_messages={
            "max_length": f"Keep your comment to {MAX_FEEDBACK_LENGTH} characters "
            "(it has %(show_value)d)."
        },
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["comment"].widget.attrs["id"] = "helpful-comment"

    def clean_comment(self):
        return drop_control_characters(self.cleaned_data["comment"]).strip()

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not token_is_for(token, self.article):
            raise forms.ValidationError(
                "This form is not from this article's page. Open the article and answer again."
            )
        return token


@dataclass(frozen=True)
class Answer:
    form: HelpfulForm
    # None when recorded, else the HTTP status to answer with.
    refused_with: int | None = None


def answer_helpful(*, article, data, ip):
    """Validate `data` (the posted form) and count the answer for `article` today."""
    form = HelpfulForm(data, article=article)
    if not form.is_valid():
        return Answer(form, refused_with=400)
    if is_over_limit(
        key=f"helpful:{ip or 'unknown'}",
        limit=settings.HELPFUL_RATE_LIMIT,
        period=settings.HELPFUL_RATE_LIMIT_PERIOD,
    ):
        form.add_error(
            None, "You have sent many answers in a short time. Please try again in an hour."
        )
        return Answer(form, refused_with=429)
    record_answer(
        article=article,
        is_helpful=form.cleaned_data["helpful"] == "yes",
        comment=form.cleaned_data["comment"],
    )
    return Answer(form)


def record_answer(*, article, is_helpful, comment=""):
    """Add one answer to the article's count for today (the site's time zone)."""
    with transaction.atomic():
        day, _ = HelpfulDay.objects.get_or_create(article=article, day=timezone.localdate())
        column = "yes" if is_helpful else "no"
        HelpfulDay.objects.filter(pk=day.pk).update(**{column: F(column) + 1})
        if comment:
            HelpfulComment.objects.create(article=article, is_helpful=is_helpful, text=comment)
