"""The "Moderators" group: people who look after comments and nothing else.

Members need "Staff status" to sign in to the admin; the group gives them
the right to see and change comments (approve, mark as spam, remove), and no
right to add or delete comments or to touch articles.
"""

from django.apps import apps as installed_apps

MODERATORS = "Moderators"
PERMISSIONS = {"view_comment": "Can view comment", "change_comment": "Can change comment"}


def create_moderators_group(apps=installed_apps):
    """Create the group (or reset its permissions) and return it.

    `apps` is a migration's historical registry when called from one.
    """
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")
    comment_type, _ = content_type_model.objects.get_or_create(
        app_label="comments", model="comment"
    )
    permissions = [
        permission_model.objects.get_or_create(
            content_type=comment_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS.items()
    ]
    group, _ = group_model.objects.get_or_create(name=MODERATORS)
    group.permissions.set(permissions)
    return group
