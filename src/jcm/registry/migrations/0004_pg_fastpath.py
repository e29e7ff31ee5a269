"""Install the PostgreSQL fast path of ``services.transfer`` (``jcm.registry.fastpath``).

Only on PostgreSQL; on SQLite this migration does nothing and the Python services are used.
"""

from django.db import migrations

from jcm.registry.pgsql import DROP_V1, JSON_STRING_V1, TRANSFER_V1


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(JSON_STRING_V1, params=None)
        schema_editor.execute(TRANSFER_V1, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_V1, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_transaction_entry_set_last"),
        ("audit", "0001_initial"),
    ]
    operations = [migrations.RunPython(install, uninstall)]
