from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        # Importing the module registers the system checks; Django asks for
        # that in ready(), once every app is loaded.
        from comments import checks  # noqa: F401
