"""Let the hiring_managers group manage question sets and invitations in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    f"{action}_{model}"
    for model in ("questionset", "questionsetitem", "questionsetrule", "invitation")
    for action in ("add", "change", "delete", "view")
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="hiring_managers")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="hiring", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("hiring", "0001_initial"), ("questions", "0002_hiring_managers_group")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
