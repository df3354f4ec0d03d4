"""The groups administrators give to staff, kept in step with this file after every migrate.

The permissions of each group are written here, not in a data migration, so a change of role is a
change of this file: `migrate` (through the post_migrate signal) brings the groups to it.
"""

ROLES = {
    # Coordinators work on the dashboard; in the admin they may look, and manage teams.
    "Coordinators": {
        "campaign": {
            "campaign": ["view"],
            "team": ["view", "add", "change"],
            "official": ["view"],
            "fact": ["view"],
            "source": ["view"],
            "recommendationlist": ["view"],
            "recommendation": ["view"],
        },
        "letters": {
            "letter": ["view"],
            "batch": ["view"],
            "delivery": ["view"],
            "lettertemplate": ["view"],
        },
    },
    # Content editors keep what campaigns say current; they do not see students' letters.
    "Content editors": {
        "campaign": {
            "source": ["view", "add", "change"],
            "fact": ["view", "add", "change", "delete"],
            "recommendationlist": ["view", "add", "change"],
            "recommendation": ["view", "add", "change", "delete"],
            "official": ["view", "add", "change"],
            "campaign": ["view", "add", "change"],
        },
        "letters": {"lettertemplate": ["view", "add", "change"]},
    },
}


def sync_roles(*, apps) -> None:
    """Create the groups and give each exactly the permissions listed above. Runs after the
    permissions of the apps installed before this one were made (post_migrate, in app order)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, apps_models in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = [
            (app, f"{action}_{model}")
            for app, models in apps_models.items()
            for model, actions in models.items()
            for action in actions
        ]
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
        group.permissions.set(permissions)
