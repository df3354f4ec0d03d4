"""The groups administrators give to staff, kept in step with this file after every migrate.

The permissions of each group come from the permission matrix (coordinate/permissions.py), not from
a data migration, so a change of role is a change of that file: `migrate` (through the
post_migrate signal) brings the groups to it.
"""

from coordinate.permissions import GROUPS, group_permissions

#: {group name: {app_label: {model_name: [action, ...]}}}. "Coordinators" is empty: coordinators
#: work on the coordinator pages and have nothing in the admin (the group is kept so a sync takes
#: away what it used to give: every letter, every team). "Content editors" keep what campaigns
#: say current; they never see students' letters, nor change who coordinates a campaign or where
#: its letters are sent.
ROLES = {name: group_permissions(role) for name, role in GROUPS.items()}


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
