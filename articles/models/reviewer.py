"""The clinicians who check the medical content, each with a public profile."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse

from core.images import clean_new_image, validate_image_file
from pagecache import PageContentQuerySet, content_changed

_validate_link = URLValidator(schemes=["https"])


def validate_profile_links(value):
    """One https address a line; the message names the first line that is not one."""
    for number, line in enumerate(value.splitlines(), start=1):
        if line.strip():
            try:
                _validate_link(line.strip())
            except ValidationError:
                raise ValidationError(
                    f"Line {number} (“{line.strip()[:80]}”) is not an https:// address. Put one "
                    "full address on each line."
                ) from None


class Reviewer(models.Model):
    name = models.CharField(
        max_length=200, help_text="The reviewer's name as readers see it, e.g. “Dr Jane Smith”."
    )
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The profile's address: /reviewers/slug/."
    )
    credentials = models.CharField(
        max_length=200,
        blank=True,
        help_text="Qualifications after the name, separated by commas, e.g. “PT, DPT”. "
        "Shown as “Medically reviewed by <name>, <credentials>”.",
    )
    biography = models.TextField(
        blank=True,
        help_text="A few sentences on the reviewer's training and practice, for their profile. "
        "Plain text; a blank line starts a new paragraph.",
    )
    photo = models.ImageField(
        upload_to="reviewers/",
        blank=True,
        validators=[validate_image_file],
        help_text="Optional: a portrait for the profile page. A JPEG, PNG, WebP or GIF file.",
    )
    profile_links = models.TextField(
        blank=True,
        validators=[validate_profile_links],
        help_text="Optional: addresses where readers can check the reviewer (a professional "
        "register, a clinic's page), one https:// address a line.",
    )
    email = models.EmailField(
        blank=True,
        help_text="Where review reminders are sent (manage.py review_reminders). Never shown "
        "to readers.",
    )

    objects = PageContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:reviewer", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        clean_new_image(self.photo)
        super().save(*args, **kwargs)
        content_changed(using=self._state.db)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        content_changed(using=self._state.db)
        return result

    @property
    def name_with_credentials(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def credential_list(self):
        return [part.strip() for part in self.credentials.split(",") if part.strip()]

    def link_list(self):
        return [line.strip() for line in self.profile_links.splitlines() if line.strip()]
