"""Oldest vintage first takes the fewest blocks (``core.builders.select_oldest_first``): an account's
blocks are indexed by status, vintage and size, and jcm_registry_transfer V5 finds each block it takes
with one probe of that index (installed by 0015, once the journal head has the column V5 uses). A
transaction's link to its journal entry loses its foreign-key
constraint (checked by ``jcm ledger verify`` like the other ledger references) and journal entries
get the never-deleted trigger. The function and the trigger are PostgreSQL only."""

import django.db.models.deletion
import django.db.models.expressions
from django.db import migrations, models

from jcm.registry.pgsql import DROP_JOURNAL_GUARD_V1, JOURNAL_GUARD_V1


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(JOURNAL_GUARD_V1, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_JOURNAL_GUARD_V1, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0013_block_keyed_by_start"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="block",
            name="registry_block_holding",
        ),
        migrations.AddIndex(
            model_name="block",
            index=models.Index(
                models.F("account"),
                models.F("status"),
                models.F("vintage"),
                django.db.models.expressions.CombinedExpression(models.F("end"), "-", models.F("start")),
                models.F("start"),
                name="registry_block_pick",
            ),
        ),
        migrations.AlterField(
            model_name="transaction",
            name="entry",
            field=models.OneToOneField(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="transaction",
                to="registry.journalentry",
                verbose_name="journal entry",
            ),
        ),
        migrations.RunPython(install, uninstall),
    ]
