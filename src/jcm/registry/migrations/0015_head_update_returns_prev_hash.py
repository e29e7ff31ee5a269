"""The journal head keeps the hash its tip chained to (``prev_hash``), so that jcm_registry_transfer V5
moves it with one UPDATE; journal entries lose the unique constraint on their hash (no read uses it;
the chain, recomputed by ``jcm ledger verify``, is what makes the hashes sound). V5 is installed here,
once the head has that column. PostgreSQL only for the function."""

from django.db import migrations, models

from jcm.registry.pgsql import TRANSFER_V4, TRANSFER_V5


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRANSFER_V5, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRANSFER_V4, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0014_fewest_blocks_first"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="journalentry",
            name="registry_journalentry_hash_unique",
        ),
        migrations.AddField(
            model_name="journalhead",
            name="prev_hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(install, uninstall),
    ]
