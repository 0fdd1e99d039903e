from django.db import migrations


def create_row(apps, schema_editor):
    apps.get_model("questions", "BankVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("questions", "0003_bank_version")]
    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
