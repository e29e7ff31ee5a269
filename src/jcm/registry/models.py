"""Thin models of the credits registry. Rules live in ``core``; writes in ``services``.

Credits and serials are integers (BigIntegerField). Blocks are inclusive ranges ``[start, end]``;
every serial ever issued is in exactly one block row (held, cancelled, retired or exported).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jcm.registry.core.article6 import FirstTransferTrigger
from jcm.registry.core.model import AccountKind, AccountStatus, BlockStatus, RetirementPurpose

ACCOUNT_KIND_LABELS = {
    AccountKind.GOVERNMENT_HOLDING: _("government holding account"),
    AccountKind.ENTITY_HOLDING: _("entity holding account"),
    AccountKind.CANCELLATION: _("cancellation account"),
    AccountKind.RETIREMENT: _("retirement account"),
}
ACCOUNT_STATUS_LABELS = {
    AccountStatus.OPEN: pgettext_lazy("account status", "open"),
    AccountStatus.SUSPENDED: _("suspended"),
    AccountStatus.CLOSED: _("closed"),
}
BLOCK_STATUS_LABELS = {
    BlockStatus.HELD: _("held"),
    BlockStatus.CANCELLED: _("cancelled"),
    BlockStatus.RETIRED: _("retired"),
    BlockStatus.EXPORTED: _("transferred to another registry"),
}
PURPOSE_LABELS = {
    RetirementPurpose.NDC: _("use towards an NDC"),
    RetirementPurpose.VOLUNTARY: _("voluntary cancellation"),
    RetirementPurpose.OMGE: _("overall mitigation in global emissions"),
}


# References between ledger rows without a database foreign-key constraint (``db_constraint=False``
# below): on the write path a constraint would look up and share-lock the parent row for every row
# written (all transfers of an issuance would share-lock its one row). They stay sound because the
# parents are never deleted (the triggers of migration 0010 refuse it), only the services write these
# rows, and ``jcm ledger verify`` checks every such reference (``integrity.ledger_references()`` finds
# them from the fields, so a new one is checked too).


class Registry(models.Model):
    """One government's JCM registry (Japan's, or a partner's); several live on this system."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    party = models.CharField(pgettext_lazy("Article 6 Party", "party"), max_length=2, help_text=_("ISO 3166 alpha-2 code of the government"))
    name = models.CharField(_("name"), max_length=200)
    hosted = models.BooleanField(_("hosted on this system"), default=True)
    manager = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registries",
        verbose_name=_("registry manager"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("registry")
        verbose_name_plural = _("registries")

    def __str__(self) -> str:
        return self.name or self.code


class Account(models.Model):
    registry = models.ForeignKey(
        Registry, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("registry")
    )
    number = models.CharField(_("account number"), max_length=40, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=[(k.value, v) for k, v in ACCOUNT_KIND_LABELS.items()])
    status = models.CharField(
        _("status"),
        max_length=10,
        default=AccountStatus.OPEN.value,
        choices=[(k.value, v) for k, v in ACCOUNT_STATUS_LABELS.items()],
    )
    holder = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registry_accounts",
        verbose_name=_("holder"),
    )
    holder_name = models.CharField(_("holder name"), max_length=200, blank=True)
    balance = models.BigIntegerField(_("credits held"), default=0)
    opened_at = models.DateTimeField(_("opened at"))
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    class Meta:
        ordering = ["registry__code", "number"]
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="registry_account_balance_gte_0")]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.number


class Notification(models.Model):
    """The Joint Committee's notification as received by one registry (its "inbox"): issue exactly
    ``quantity`` credits of ``project`` / ``vintage`` into this registry's accounts, by ``allocation``,
    once. Recorded by the project cycle when the JC decides; consumed by the issuance that executes it.
    """

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("JC notification status", "open")
        ISSUED = "issued", _("issued")

    reference = models.CharField(_("reference"), max_length=100, unique=True)
    registry = models.ForeignKey(
        Registry, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("registry")
    )
    decision = models.CharField(_("JC decision"), max_length=100)
    project = models.CharField(_("project"), max_length=40)
    monitoring_period = models.CharField(_("monitoring period"), max_length=60, blank=True)
    vintage = models.PositiveSmallIntegerField(_("vintage"))
    approach = models.CharField(_("cooperative approach"), max_length=40)
    first_transferring_party = models.CharField(_("first transferring party"), max_length=2)
    total = models.BigIntegerField(_("total notified"))
    quantity = models.BigIntegerField(_("quantity for this registry"))
    allocation = models.JSONField(_("allocation"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    issuance = models.OneToOneField(
        "Issuance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notification",
        verbose_name=_("issuance"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["registry__code", "recorded_at", "reference"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="registry_notification_quantity_gte_1"),
            models.UniqueConstraint(
                fields=["registry", "decision", "project", "monitoring_period"],
                name="registry_one_notification_per_decision_and_side",
            ),
        ]
        verbose_name = _("JC notification")
        verbose_name_plural = _("JC notifications")

    def __str__(self) -> str:
        return self.reference


class Issuance(models.Model):
    """Credits issued into one registry following a Joint Committee notification."""

    reference = models.CharField(_("reference"), max_length=60, unique=True)
    registry = models.ForeignKey(
        Registry, on_delete=models.PROTECT, related_name="issuances", verbose_name=_("registry")
    )
    approach = models.CharField(_("cooperative approach"), max_length=40)
    first_transferring_party = models.CharField(_("first transferring party"), max_length=2)
    project = models.CharField(_("project"), max_length=40)
    monitoring_period = models.CharField(_("monitoring period"), max_length=60, blank=True)
    vintage = models.PositiveSmallIntegerField(_("vintage"))
    quantity = models.BigIntegerField(_("quantity"))
    serial_start = models.BigIntegerField(_("first serial"), unique=True)
    serial_end = models.BigIntegerField(_("last serial"))
    decision = models.CharField(_("JC decision"), max_length=100, blank=True)
    allocation = models.JSONField(_("allocation"), default=dict)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        ordering = ["serial_start"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="registry_issuance_quantity_gte_1"),
            models.CheckConstraint(
                condition=Q(serial_end=F("serial_start") + F("quantity") - 1), name="registry_issuance_serials"
            ),
        ]
        verbose_name = _("issuance")
        verbose_name_plural = _("issuances")

    def __str__(self) -> str:
        return self.reference


class Block(models.Model):
    """Serials ``start``..``end`` (inclusive) of one issuance, in one place and one Article 6 state."""

    # The first serial is the key: serials are unique across the platform, and a row keeps its start
    # for life (a split keeps the lowest piece in the row; the other pieces are new rows). One index
    # fewer for every block row a movement writes than a separate id (docs/performance.md).
    start = models.BigIntegerField(_("first serial"), primary_key=True)
    end = models.BigIntegerField(_("last serial"))
    # Foreign keys without their own index: no query looks blocks up by issuance or registry, and
    # ``registry_block_pick`` starts with ``account``. Without database constraints either (see
    # the note above ``Registry``): every block row a movement writes would otherwise look up and share-lock
    # its account, issuance and registry rows (docs/performance.md).
    issuance = models.ForeignKey(
        Issuance,
        on_delete=models.PROTECT,
        related_name="blocks",
        verbose_name=_("issuance"),
        db_index=False,
        db_constraint=False,
    )
    registry = models.ForeignKey(
        Registry,
        on_delete=models.PROTECT,
        related_name="originated_blocks",
        verbose_name=_("originating registry"),
        db_index=False,
        db_constraint=False,
    )
    vintage = models.PositiveSmallIntegerField(_("vintage"))
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="blocks",
        verbose_name=_("account"),
        db_index=False,
        db_constraint=False,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=[(k.value, v) for k, v in BLOCK_STATUS_LABELS.items()]
    )
    # Article 6
    authorised = models.BooleanField(_("authorised"), default=False)
    purposes = models.JSONField(_("authorised purposes"), default=list)
    authorisation_id = models.CharField(_("authorisation ID"), max_length=80, blank=True)
    authorisation_date = models.CharField(_("authorisation date"), max_length=10, blank=True)
    first_transfer_trigger = models.CharField(
        _("first transfer is"),
        max_length=30,
        default=FirstTransferTrigger.INTERNATIONAL_TRANSFER.value,
        choices=[(t.value, t.value.replace("_", " ")) for t in FirstTransferTrigger],
    )
    first_transferred = models.BooleanField(_("first transferred"), default=False)
    first_transfer_date = models.CharField(_("first transfer date"), max_length=10, blank=True)
    adjustments = models.JSONField(_("corresponding adjustments"), default=list)

    class Meta:
        ordering = ["start"]
        # An account's blocks by status, vintage and size: oldest vintage first takes the smallest
        # block that holds what is left, or the largest (core.builders.select_oldest_first), each
        # found by one probe of this index.
        indexes = [
            models.Index(
                F("account"), F("status"), F("vintage"), F("end") - F("start"), F("start"), name="registry_block_pick"
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=1) & Q(end__gte=F("start")), name="registry_block_range"),
        ]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"

    @property
    def quantity(self) -> int:
        return self.end - self.start + 1


class JournalEntry(models.Model):
    """One hash-chained ledger entry; ``hash`` covers ``prev_hash`` and the canonical content."""

    sequence = models.BigIntegerField(_("sequence"), unique=True)
    kind = models.CharField(pgettext_lazy("journal entry", "kind"), max_length=40)
    occurred_at = models.CharField(_("occurred at"), max_length=40)
    payload = models.JSONField(_("payload"))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    # Not indexed (no read looks an entry up by its hash) and not unique by a constraint any more
    # (migration 0015): the chain is what makes the hashes sound, and ``jcm ledger verify`` recomputes
    # it; a unique index cost a text index entry per entry, written while the journal head is held.
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        ordering = ["sequence"]
        # The annual summary reads these kinds from the journal. Partial: transfers, the bulk of the
        # journal and of its writes, get no entry in it.
        indexes = [
            models.Index(
                fields=["kind", "sequence"],
                name="registry_journal_actions",
                condition=Q(
                    kind__in=[
                        "international_transfer",
                        "authorisation",
                        "corresponding_adjustment",
                        "cancellation",
                        "retirement",
                    ]
                ),
            )
        ]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind}"


class JournalHead(models.Model):
    """The single row every write locks last: the chain's tip and the next free serial."""

    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # The hash the tip's entry chained to (its ``prev_hash``): the fast path moves the head with one
    # UPDATE that computes the new hash from the old and returns both (migration 0015).
    prev_hash = models.CharField(max_length=64, default="", blank=True)
    next_serial = models.BigIntegerField(default=1)

    def __str__(self) -> str:
        return f"head #{self.sequence}"


class Transaction(models.Model):
    """The public per-transaction record (what moved, from where to where, when, by whom)."""

    # Set in the same transaction, by the statement that appends the journal entry (last).
    # Without a database constraint, like the other ledger references: its check read and share-
    # locked the entry (a lock record in the WAL) on every transfer. Entries are never deleted
    # (trigger) and ``jcm ledger verify`` checks the reference (``integrity.py``).
    entry = models.OneToOneField(
        JournalEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transaction",
        verbose_name=_("journal entry"),
        db_constraint=False,
    )
    kind = models.CharField(_("type"), max_length=40)
    # ``registry_tx_year`` starts with ``registry``; no query looks transactions up by initiator;
    # ``to_registry`` is indexed only where set (international transfers). The ledger references have
    # no database constraint (see above ``Registry``); ``entry`` and ``initiator`` keep theirs.
    registry = models.ForeignKey(
        Registry,
        on_delete=models.PROTECT,
        related_name="transactions",
        verbose_name=_("registry"),
        db_index=False,
        db_constraint=False,
    )
    from_account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outgoing",
        verbose_name=pgettext_lazy("transfer", "from"),
        db_constraint=False,
    )
    to_account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming",
        verbose_name=pgettext_lazy("transfer", "to"),
        db_constraint=False,
    )
    to_registry = models.ForeignKey(
        Registry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_transactions",
        verbose_name=_("to registry"),
        db_index=False,
        db_constraint=False,
    )
    quantity = models.BigIntegerField(_("quantity"))
    ranges = models.JSONField(_("serials"))
    occurred_at = models.DateTimeField(_("occurred at"))
    initiator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("initiator"),
        db_index=False,
    )

    class Meta:
        ordering = ["entry__sequence"]
        indexes = [
            models.Index(fields=["registry", "occurred_at"], name="registry_tx_year"),
            models.Index(
                fields=["to_registry"], condition=Q(to_registry__isnull=False), name="registry_tx_to_registry"
            ),
        ]
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")

    def __str__(self) -> str:
        return f"{self.kind} #{self.entry_id}"


class Movement(models.Model):
    """One serial range moved by one transaction; the index behind serial lookups."""

    # No index on ``transaction``: a transaction's pieces are also in its ``ranges``, and only serial
    # lookups read movements (``registry_movement_serial`` starts with ``issuance``). No database
    # constraints (see above ``Registry``).
    transaction = models.ForeignKey(
        Transaction, on_delete=models.PROTECT, related_name="movements", db_index=False, db_constraint=False
    )
    issuance = models.ForeignKey(
        Issuance, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    start = models.BigIntegerField()
    end = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["issuance", "start"], name="registry_movement_serial")]

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"


class Checkpoint(models.Model):
    sequence = models.BigIntegerField(_("sequence"), unique=True)
    hash = models.CharField(_("hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    # Ed25519 signature of (sequence, hash), 128 hex characters (core.signing); "" when unsigned.
    signature = models.CharField(_("signature"), max_length=128, blank=True, default="", db_default="")

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return f"{self.sequence}:{self.hash[:12]}"


class RetirementRecord(models.Model):
    """What a retirement certificate needs."""

    number = models.CharField(_("retirement number"), max_length=40, unique=True)
    transaction = models.OneToOneField(
        Transaction, on_delete=models.PROTECT, related_name="retirement", verbose_name=_("transaction")
    )
    registry = models.ForeignKey(
        Registry, on_delete=models.PROTECT, related_name="retirements", verbose_name=_("registry")
    )
    from_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+", verbose_name=pgettext_lazy("transfer", "from"))
    quantity = models.BigIntegerField(_("quantity"))
    purpose = models.CharField(_("purpose"), max_length=10, choices=[(k.value, v) for k, v in PURPOSE_LABELS.items()])
    ndc_party = models.CharField(_("towards the NDC of"), max_length=2, blank=True)
    beneficiary = models.CharField(_("beneficiary"), max_length=200)
    identifiers = models.JSONField(_("unique identifiers"), default=list)
    vintages = models.JSONField(_("vintages"), default=list)
    retired_at = models.DateTimeField(_("retired at"))

    class Meta:
        ordering = ["-retired_at", "number"]
        verbose_name = _("retirement record")
        verbose_name_plural = _("retirement records")

    def __str__(self) -> str:
        return self.number


class IdempotencyKey(models.Model):
    """A write's key: a replay with the same request returns the stored result.

    Keys are scoped per actor (``scope`` = ``u<user id>``; ``""`` for the system, i.e. no user), so
    one user's key never replays, or conflicts with, another user's request.
    """

    scope = models.CharField(max_length=40, default="", blank=True)
    key = models.CharField(max_length=100)
    operation = models.CharField(max_length=40)
    request_hash = models.CharField(max_length=64)
    result = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="registry_idempotency_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}" if self.scope else self.key
