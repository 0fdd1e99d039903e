"""Create the hiring_managers group with the permissions the role needs (SPEC §1)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "hiring_managers"
PERMISSIONS = [
    ("questions", "question", ["add", "change", "delete", "view", "view_model_answer"]),
    ("questions", "category", ["add", "change", "view"]),
    ("questions", "tag", ["add", "change", "delete", "view"]),
]


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, model, actions in PERMISSIONS:
        codenames = [a if a.startswith("view_model") else f"{a}_{model}" for a in actions]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
