"""jcm_registry_transfer V4 (the transaction is inserted already linked to its journal entry; no
SET CONSTRAINTS) and the triggers that keep ledger parents from being deleted (the references to them
have no foreign-key constraints since 0009). PostgreSQL only; on SQLite the services are the only
writers and ``jcm ledger verify`` checks the references."""

from django.db import migrations

from jcm.registry.pgsql import DROP_PARENT_GUARD_V1, PARENT_GUARD_V1, TRANSFER_V3, TRANSFER_V4


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRANSFER_V4, params=None)
        schema_editor.execute(PARENT_GUARD_V1, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_PARENT_GUARD_V1, params=None)
        schema_editor.execute(TRANSFER_V3, params=None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_ledger_references_unconstrained")]
    operations = [migrations.RunPython(install, uninstall)]
