"""The "Editors" group: people who write and publish the site's content.

Members need "Staff status" to sign in to the admin. The group gives them
articles (with their history), injury categories, the body regions and
symptoms of /find/, medical reviewers and the Reviews due list, affiliate links (and a
read-only view of their clicks), flat pages such as the affiliate
disclosure, and redirects for moved addresses. It gives them nothing about
comments (that is the Moderators group's work: put a person in both groups
if they do both), users, groups or sites, which stay with superusers.

Deleting: editors may delete what they may change, but the admin refuses to
delete an article that has comments unless the person may delete comments
too, so readers' comments are never lost by an editor's click.
"""

from django.apps import apps as installed_apps

EDITORS = "Editors"
ALL = ("add", "change", "delete", "view")
# (app label, model): (verbose name for the permission's label, actions)
PERMISSIONS = {
    ("articles", "article"): ("article", ALL),
    ("articles", "historicalarticle"): ("historical article", ("change", "view")),
    ("articles", "category"): ("injury category", ALL),
    ("articles", "bodyregion"): ("body region", ALL),
    ("articles", "symptom"): ("symptom", ALL),
    ("articles", "reviewer"): ("reviewer", ALL),
    ("articles", "reviewdue"): ("review due", ("change", "view")),
    ("affiliates", "affiliatelink"): ("affiliate link", ALL),
    ("affiliates", "affiliateclick"): ("affiliate click", ("view",)),
    ("flatpages", "flatpage"): ("flat page", ALL),
    ("redirects", "redirect"): ("redirect", ALL),
}


def create_editors_group(apps=installed_apps):
    """Create the group (or reset its permissions) and return it.

    `apps` is a migration's historical registry when called from one, when
    the permissions themselves may not have been made yet.
    """
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")
    permissions = []
    for (app_label, model), (verbose_name, actions) in PERMISSIONS.items():
        content_type, _ = content_type_model.objects.get_or_create(app_label=app_label, model=model)
        for action in actions:
            permission, _ = permission_model.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose_name}"},
            )
            permissions.append(permission)
    group, _ = group_model.objects.get_or_create(name=EDITORS)
    group.permissions.set(permissions)
    return group
