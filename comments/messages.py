"""What a reader is told after posting a comment.

The notes go through django.contrib.messages with MESSAGE_TAG, which the
comment area ({% comment_area %}) picks out to show beside the form, not at
the top of the page.
"""

AWAITING_MODERATION = "Your comment is awaiting moderation."
PUBLISHED = "Thank you: your comment is published."
MESSAGE_TAG = "comment-status"


def comment_status_messages(messages):
    """The messages about a comment just posted, among all the request's messages."""
    return [message for message in messages if MESSAGE_TAG in message.tags]
