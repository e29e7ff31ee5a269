"""The fast path's transfer writes its audit event with the journal entry, labelled "transfer #<sequence>"
(jcm_registry_transfer V3; same signature as V2)."""

from django.db import migrations

from jcm.registry.pgsql import TRANSFER_V2, TRANSFER_V3


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRANSFER_V3, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRANSFER_V2, params=None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_idempotency_scope_per_actor")]
    operations = [migrations.RunPython(install, uninstall)]
