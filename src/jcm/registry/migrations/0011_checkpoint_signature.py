# Written by hand: the optional Ed25519 signature of a checkpoint (JCM_CHECKPOINT_SIGNING_KEY).
# Numbered 0100 to stay clear of migrations being added concurrently; renumber after them.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_fastpath_v4_parent_guards"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkpoint",
            name="signature",
            field=models.CharField(blank=True, db_default="", default="", max_length=128, verbose_name="signature"),
        ),
    ]
