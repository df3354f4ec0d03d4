"""The groups administrators give to staff: "Coordinators" and "Content editors"."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    # Coordinators work on the dashboard; in the admin they may look, and manage teams.
    "Coordinators": {
        "campaign": {"campaign": ["view"], "team": ["view", "add", "change"],
                     "official": ["view"], "fact": ["view"], "source": ["view"],
                     "recommendationlist": ["view"], "recommendation": ["view"]},
        "letters": {"letter": ["view"], "batch": ["view"], "delivery": ["view"],
                    "lettertemplate": ["view"]},
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


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the groups get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, apps_models in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [
            (app, f"{action}_{model}")
            for app, models in apps_models.items()
            for model, actions in models.items()
            for action in actions
        ]
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in codenames
        ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("campaign", "0002_history"),
        ("letters", "0003_history"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
