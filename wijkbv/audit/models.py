"""The hash-chained decision log: one gapless, ordered chain per cooperative."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChainHead(models.Model):
    """The last link of a cooperative's chain. Appending locks this row, which makes `seq`
    gapless and the order of events the order of commits, also under concurrency."""

    cooperative = models.OneToOneField(
        "members.Cooperative", on_delete=models.PROTECT, related_name="audit_head"
    )
    # The cooperative's short name when the chain started, hashed into every event as
    # "cooperative": renaming the cooperative later does not break its chain.
    label = models.CharField(max_length=60)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"{self.cooperative_id}#{self.seq}"


class AuditEvent(models.Model):
    """One decision. Never updated or deleted; `hash = sha256(prev_hash + canonical(event))`.

    `actor` and `on_behalf_of` are references such as "member:17", never names, so the chain can
    be published."""

    # No index of its own: the chain's unique (cooperative, seq) starts with it. It and
    # `actor_user` are checked by PostgreSQL once per statement, not by a foreign key per row
    # (migration 0009, ADR 0070).
    cooperative = models.ForeignKey(
        "members.Cooperative",
        on_delete=models.PROTECT,
        related_name="audit_events",
        db_index=False,
        db_constraint=False,
    )
    seq = models.PositiveBigIntegerField()
    time = models.CharField(max_length=32)  # ISO 8601 in UTC, exactly as hashed
    actor = models.CharField(max_length=40)
    on_behalf_of = models.CharField(max_length=40, blank=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField(max_length=80)
    subject = models.CharField(max_length=120, blank=True)
    payload = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    # Unique by a constraint, not by `unique=True`: on PostgreSQL that would add a second index
    # for text patterns (LIKE), which nothing searches a hash with, kept up by every event.
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["cooperative", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "seq"], name="audit_seq_unique"),
            models.UniqueConstraint(fields=["hash"], name="audit_hash_unique"),
        ]
        # The open pages look up the events about the objects they show (selectors.events_about).
        indexes = [models.Index(fields=["cooperative", "subject"], name="audit_event_subject")]

    def __str__(self):
        return f"{self.cooperative_id}#{self.seq} {self.action}"

    def as_chain_dict(self, label: str | None = None) -> dict:
        """The event as it is hashed, plus its two hashes. `label` is the chain's label (see
        ChainHead); give it when reading many events, to save a query per event."""
        return {
            "cooperative": self.cooperative.audit_head.label if label is None else label,
            "seq": self.seq,
            "time": self.time,
            "actor": self.actor,
            "on_behalf_of": self.on_behalf_of,
            "action": self.action,
            "subject": self.subject,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }
