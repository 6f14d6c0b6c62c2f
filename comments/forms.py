from urllib.parse import urlsplit

from django import forms

from comments.models import MAX_TEXT_LENGTH, Comment
from comments.tokens import make_form_token

WEBSITE_INVALID = "Enter a web address such as https://example.com."
REPLY_GONE = (
    "The comment you replied to is no longer shown, so yours will be posted as a comment on "
    "the article. Post it again to confirm."
)


class TrapField(forms.CharField):
    """A field only robots fill in or tamper with: whatever it holds, even a
    NUL character that other text fields refuse, the form stays valid, so
    moderation can store the post as spam instead of telling the robot why."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)
        self.validators = []


class CommentForm(forms.ModelForm):
    """The reader's comment form. Nothing in it differs between readers.

    `token` carries the signed render time (comments.tokens) and `subject` is a
    honeypot: hidden from people, filled in by robots. Neither makes the form
    invalid; moderation stores such posts as spam instead.
    """

    website = forms.URLField(
        label="Website (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": WEBSITE_INVALID},
    )
    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
        error_messages={"required": "Please write your comment."},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    token = TrapField(widget=forms.HiddenInput)
    subject = TrapField(
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Comment
        fields = [
            "name",
            "email",
            "website",
            "text",
            "reply_emails_enabled",
            "publish_notice_enabled",
        ]
        labels = {
            "name": "Name",
            "email": "Email",
            "reply_emails_enabled": "Notify me of replies by e-mail",
            "publish_notice_enabled": "Tell me when it is published",
        }
        help_texts = {
            "name": "",
            "email": "Never shown on the site.",
            "reply_emails_enabled": "",
            "publish_notice_enabled": "If your comment has to wait for a moderator, you get one "
            "e-mail when it is approved.",
        }
        error_messages = {
            "name": {"required": "Please give a name to show with your comment."},
            "email": {
                "required": "Please give your e-mail address; it is never shown.",
                "invalid": "Enter a valid e-mail address, such as name@example.com.",
            },
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, article=None, **kwargs):
        # Without an article the form only shows values it is given: the 503
        # page uses it so to give a reader back what they posted, token and all.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["email"].required = True
        self.fields["website"].widget.attrs["autocomplete"] = "url"
        if not self.is_bound and article is not None:
            self.initial["token"] = make_form_token(article)

    @property
    def parent_comment(self):
        """The approved comment this form answers, for the "Replying to" line."""
        if not hasattr(self, "_parent_comment"):
            value = self["parent"].value()
            try:
                pk = int(value) if value not in (None, "") else None
            except (TypeError, ValueError):
                pk = None
            self._parent_comment = (
                Comment.objects.approved().filter(article=self.article, pk=pk).only("name").first()
                if pk is not None
                else None
            )
        return self._parent_comment

    def clean_text(self):
        text = self.cleaned_data["text"]
        if len(text) > MAX_TEXT_LENGTH:
            raise forms.ValidationError(
                f"Please shorten your comment to {MAX_TEXT_LENGTH:,} characters; "
                f"it has {len(text):,}."
            )
        return text

    def clean_website(self):
        website = self.cleaned_data["website"]
        if website and urlsplit(website).scheme not in ("http", "https"):
            raise forms.ValidationError(WEBSITE_INVALID)
        return website

    def clean_parent(self):
        if self.cleaned_data["parent"] is None:
            return None
        if self.parent_comment is None:
            raise forms.ValidationError(REPLY_GONE)
        return self.parent_comment

    @property
    def is_trap_filled(self):
        return bool(self.cleaned_data.get("subject"))


class StaffReplyForm(forms.Form):
    """A reply the site's team writes in the admin (moderation.post_staff_reply)."""

    text = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        error_messages={"required": "Please write your reply."},
        help_text="Plain text, as for readers. It is published at once under your name, with "
        "a “Site team” badge, and the commenter is told if they asked for reply e-mails.",
    )
    is_pinned = forms.BooleanField(
        label="Pin it to the top of the thread",
        required=False,
        help_text="Shown first among the replies to this comment.",
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if len(text) > MAX_TEXT_LENGTH:
            raise forms.ValidationError(
                f"Please shorten your reply to {MAX_TEXT_LENGTH:,} characters; it has {len(text):,}."
            )
        return text
