import secrets

from django.db import migrations


def create_row(apps, schema_editor):
    # From a random value, not 0: a new database (a reset dev database, a rebuilt
    # staging) beside a Redis that still holds the old one's bank reads would
    # otherwise meet the same versions, and their keys, again.
    apps.get_model("questions", "BankVersion").objects.get_or_create(pk=1, defaults={"value": secrets.randbits(48)})


class Migration(migrations.Migration):
    dependencies = [("questions", "0003_bank_version")]
    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
