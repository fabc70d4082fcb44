"""Share classes, subscriptions, the lots of shares members hold, transfers and cancellations.

Holdings are lots: a range of consecutive certificate numbers of one class held by one member
from `held_from` until `held_until` (open while held). A lot is never changed except to end it;
when part of it leaves (a transfer, a redemption), it ends and the part that stays becomes a new
lot with the same certificate numbers and acquisition date. So the register as of any date is
one query: the lots held on that date (docs/decisions/0011-share-lots.md).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from djmoney.money import Money
from simple_history.models import HistoricalRecords

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class ShareClass(models.Model):
    """A class of shares of one cooperative, as its articles describe it. `next_certificate` is
    the number the next issued share gets: issues lock this row, so numbers are consecutive and
    never used twice, and issued plus reserved shares never exceed `authorised_shares`."""

    cooperative = models.ForeignKey(
        "members.Cooperative", on_delete=models.PROTECT, related_name="share_classes"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    nominal_amount = models.DecimalField(_("nominal value"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)
    votes_per_share = models.PositiveIntegerField(_("votes per share"), default=1)
    max_per_member = models.PositiveIntegerField(
        _("most shares of this class one member may hold"), null=True, blank=True
    )
    is_transferable = models.BooleanField(_("transferable"), default=True)
    requires_board_approval = models.BooleanField(_("board approval needed"), default=True)
    authorised_shares = models.PositiveIntegerField(_("authorised number of shares"))
    hours_per_share = models.PositiveIntegerField(
        _("confirmed hours that earn one share"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the articles do not allow earning a share by time."),
    )
    next_certificate = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("share class")
        verbose_name_plural = _("share classes")
        ordering = ["cooperative", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="share_class_code_unique"),
            models.CheckConstraint(
                condition=models.Q(nominal_amount__gt=0), name="share_class_nominal_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(authorised_shares__gte=1), name="share_class_authorised_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_share__isnull=True) | models.Q(hours_per_share__gte=1),
                name="share_class_hours_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(next_certificate__gte=1), name="share_class_certificate_positive"
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.name}"

    @property
    def nominal_value(self) -> Money:
        return Money(self.nominal_amount, self.currency)

    @property
    def authorised_capital(self) -> Money:
        return Money(self.nominal_amount * self.authorised_shares, self.currency)


class PaymentMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    STRIPE = "stripe", _("Online (card or iDEAL)")
    IN_KIND = "in_kind", _("Paid in kind with hours given")


class SubscriptionStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid, awaiting the board")
    APPROVED = "approved", _("Approved by the board")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


# Subscriptions whose shares are set aside: they count against the authorised number and caps.
OPEN_STATUSES = (
    SubscriptionStatus.AWAITING_PAYMENT,
    SubscriptionStatus.PAID,
    SubscriptionStatus.APPROVED,
)


class Subscription(models.Model):
    """A member asks for shares. It is paid (bank transfer with `payment_reference`, or Stripe),
    approved by a board member who is not the subscriber, with the notarial deed's date and
    notary, and then issued. An approved subscription may still await payment (`paid_on` is
    empty); it is issued only once paid."""

    cooperative = models.ForeignKey(
        "members.Cooperative", on_delete=models.PROTECT, related_name="share_subscriptions"
    )
    share_class = models.ForeignKey(
        ShareClass, on_delete=models.PROTECT, related_name="subscriptions"
    )
    membership = models.ForeignKey(
        "members.Membership", on_delete=models.PROTECT, related_name="share_subscriptions"
    )
    count = models.PositiveIntegerField(_("number of shares"))
    amount = models.DecimalField(_("amount"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)
    method = models.CharField(_("payment"), max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.AWAITING_PAYMENT,
    )
    payment_reference = models.CharField(_("payment reference"), max_length=25, blank=True)
    paid_in_hours = models.DecimalField(
        _("hours paid in kind"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    requested_at = models.DateTimeField(_("asked on"), default=timezone.now)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    # One transaction pays at most one subscription. PostgreSQL checks that, and that the
    # transaction exists, once per statement (migrations 0006 and 0007, ADRs 0067 and 0069)
    # instead of by a unique index: without an index on it, and with room in each page, paying
    # a subscription rewrites it within its page and touches none of its indexes.
    payment_transaction = models.ForeignKey(
        "ledger.Transaction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    external_reference = models.CharField(
        _("payment provider's reference"), max_length=255, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    deed_date = models.DateField(_("date of the notarial deed"), null=True, blank=True)
    notary = models.CharField(_("notary"), max_length=150, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    closed_reason = models.CharField(_("reason"), max_length=500, blank=True)

    # The row history is read per subscription (by id) and in time order; an index per foreign
    # key would be kept up by every payment a bank statement books, for no reader.
    history = HistoricalRecords(
        no_db_index=[
            "cooperative",
            "share_class",
            "membership",
            "payment_transaction",
            "approved_by",
        ]
    )

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=SubscriptionStatus.values),
                name="subscription_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=PaymentMethod.values),
                name="subscription_method_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="subscription_count_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="subscription_amount_positive"
            ),
            # Issued means paid and approved, with the deed recorded.
            models.CheckConstraint(
                condition=~models.Q(status=SubscriptionStatus.ISSUED)
                | models.Q(
                    paid_on__isnull=False,
                    approved_at__isnull=False,
                    deed_date__isnull=False,
                    issued_on__isnull=False,
                ),
                name="subscription_issued_complete",
            ),
            models.CheckConstraint(
                condition=~models.Q(
                    status__in=[SubscriptionStatus.PAID, SubscriptionStatus.REFUNDED]
                )
                | models.Q(paid_on__isnull=False),
                name="subscription_paid_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(method="in_kind", paid_in_hours__gt=0)
                | (~models.Q(method="in_kind") & models.Q(paid_in_hours__isnull=True)),
                name="subscription_hours_only_in_kind",
            ),
            models.UniqueConstraint(
                fields=["payment_reference"],
                condition=~models.Q(payment_reference=""),
                name="subscription_reference_unique",
            ),
        ]

    def __str__(self):
        return f"{self.payment_reference or self.pk}: {self.count} × {self.share_class_id}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None and self.status != SubscriptionStatus.REFUNDED

    def payment_description(self) -> str:
        """What a bank statement or a payment page says the money is for."""
        return ngettext(
            "%(count)s share %(code)s, reference %(reference)s",
            "%(count)s shares %(code)s, reference %(reference)s",
            self.count,
        ) % {
            "count": self.count,
            "code": self.share_class.code,
            "reference": self.payment_reference,
        }


class LotOrigin(models.TextChoices):
    ISSUE = "issue", _("Issued")
    TRANSFER = "transfer", _("Transferred to them")
    REMAINDER = "remainder", _("Kept after part of a lot left")


class LotEnd(models.TextChoices):
    TRANSFERRED = "transferred", _("Transferred")
    REDEEMED = "redeemed", _("Bought back")
    GIFTED_BACK = "gifted_back", _("Given back to the cooperative")


class ShareLot(models.Model):
    """Shares `first_certificate` to `last_certificate` of one class, held by one member from
    `held_from` until the day before `held_until` (open while still held). `acquired_on` is
    when the holder acquired them, as the register shows it."""

    cooperative = models.ForeignKey(
        "members.Cooperative", on_delete=models.PROTECT, related_name="share_lots"
    )
    share_class = models.ForeignKey(ShareClass, on_delete=models.PROTECT, related_name="lots")
    membership = models.ForeignKey(
        "members.Membership", on_delete=models.PROTECT, related_name="share_lots"
    )
    first_certificate = models.PositiveIntegerField(_("first certificate"))
    last_certificate = models.PositiveIntegerField(_("last certificate"))
    count = models.PositiveIntegerField(_("number of shares"))
    paid_per_share = models.DecimalField(_("paid up per share"), **AMOUNT)
    acquired_on = models.DateField(_("acquired on"))
    held_from = models.DateField()
    held_until = models.DateField(null=True, blank=True)
    origin = models.CharField(max_length=12, choices=LotOrigin.choices)
    ended_by = models.CharField(max_length=12, choices=LotEnd.choices, blank=True)
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.PROTECT, related_name="lots"
    )
    transfer = models.ForeignKey(
        "Transfer", null=True, blank=True, on_delete=models.PROTECT, related_name="lots"
    )

    class Meta:
        verbose_name = _("lot of shares")
        verbose_name_plural = _("lots of shares")
        ordering = ["share_class", "first_certificate", "held_from"]
        indexes = [
            models.Index(fields=["cooperative", "held_from"], name="share_lot_coop_from"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gte=1)
                & models.Q(last_certificate=models.F("first_certificate") + models.F("count") - 1),
                name="share_lot_range_matches_count",
            ),
            models.CheckConstraint(
                condition=models.Q(held_until__isnull=True)
                | models.Q(held_until__gte=models.F("held_from")),
                name="share_lot_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(origin__in=LotOrigin.values), name="share_lot_origin_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_by__in=[*LotEnd.values, ""]),
                name="share_lot_end_valid",
            ),
        ]

    def __str__(self):
        return f"{self.share_class_id}: {self.certificates}"

    @property
    def certificates(self) -> str:
        if self.first_certificate == self.last_certificate:
            return str(self.first_certificate)
        return f"{self.first_certificate}–{self.last_certificate}"

    @property
    def paid_up(self) -> Money:
        return Money(self.paid_per_share * self.count, self.share_class.currency)


class Transfer(models.Model):
    """Shares that passed from one member to another, approved by the board with the notarial
    deed that Dutch law requires for transferring shares of a BV."""

    cooperative = models.ForeignKey(
        "members.Cooperative", on_delete=models.PROTECT, related_name="share_transfers"
    )
    share_class = models.ForeignKey(ShareClass, on_delete=models.PROTECT, related_name="transfers")
    from_membership = models.ForeignKey(
        "members.Membership", on_delete=models.PROTECT, related_name="+"
    )
    to_membership = models.ForeignKey(
        "members.Membership", on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("number of shares"))
    certificates = models.JSONField(_("certificates"), default=list)
    transferred_on = models.DateField(_("transferred on"))
    deed_date = models.DateField(_("date of the notarial deed"))
    notary = models.CharField(_("notary"), max_length=150)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("transfer of shares")
        verbose_name_plural = _("transfers of shares")
        ordering = ["-transferred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="transfer_count_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_membership=models.F("to_membership")),
                name="transfer_between_two_members",
            ),
        ]

    def __str__(self):
        return f"{self.count} × {self.share_class_id} on {self.transferred_on}"


class TransferRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the board")
    DONE = "done", _("Transferred")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TransferRequest(models.Model):
    """A member's own request to transfer shares to another member. The board (or, where the
    class needs no approval, the treasurer) carries it out by recording the transfer with its
    notarial deed, or refuses it with a reason; the asker may withdraw it until then."""

    cooperative = models.ForeignKey(
        "members.Cooperative", on_delete=models.PROTECT, related_name="share_transfer_requests"
    )
    share_class = models.ForeignKey(
        ShareClass, on_delete=models.PROTECT, related_name="transfer_requests"
    )
    from_membership = models.ForeignKey(
        "members.Membership", on_delete=models.PROTECT, related_name="+"
    )
    to_membership = models.ForeignKey(
        "members.Membership", on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("number of shares"))
    note = models.CharField(_("note for the board"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=TransferRequestStatus.choices,
        default=TransferRequestStatus.REQUESTED,
    )
    requested_at = models.DateTimeField(_("asked on"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    transfer = models.OneToOneField(
        "Transfer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request to transfer shares")
        verbose_name_plural = _("requests to transfer shares")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=TransferRequestStatus.values),
                name="transfer_request_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="transfer_request_count_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_membership=models.F("to_membership")),
                name="transfer_request_two_members",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(transfer__isnull=False),
                name="transfer_request_done_has_transfer",
            ),
        ]

    def __str__(self):
        return f"{self.count} × {self.share_class_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status == TransferRequestStatus.REQUESTED


class CancellationKind(models.TextChoices):
    REDEEMED = "redeemed", _("Bought back at nominal value")
    GIFTED_BACK = "gifted_back", _("Given back to the cooperative")


class Cancellation(models.Model):
    """Shares that left a member and were cancelled: bought back by the cooperative at nominal
    value and paid out, or given back for nothing. Cancelled certificate numbers are never used
    again."""

    cooperative = models.ForeignKey(
        "members.Cooperative", on_delete=models.PROTECT, related_name="share_cancellations"
    )
    share_class = models.ForeignKey(
        ShareClass, on_delete=models.PROTECT, related_name="cancellations"
    )
    membership = models.ForeignKey("members.Membership", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=CancellationKind.choices)
    count = models.PositiveIntegerField(_("number of shares"))
    certificates = models.JSONField(_("certificates"), default=list)
    amount = models.DecimalField(_("amount"), **AMOUNT, default=Decimal("0"))
    cancelled_on = models.DateField(_("cancelled on"))
    transaction = models.OneToOneField(
        "ledger.Transaction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="share_cancellation",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("cancellation of shares")
        verbose_name_plural = _("cancellations of shares")
        ordering = ["-cancelled_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="cancellation_count_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=CancellationKind.values),
                name="cancellation_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.kind}: {self.count} × {self.share_class_id} on {self.cancelled_on}"
