"""Giving and taking: contributions of time, in kind and money, and who confirmed them.

A contribution is private to the member who gave it, the member who received it and the
coordinators of the cooperative. Everybody else only ever sees aggregates (reciprocity/selectors.py),
with groups of fewer than five people left out. Time is never money: hours are counted, thanked
and shown, never paid out.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Cooperative, Membership, PartnerOrganisation, Place

# The smallest group an aggregate may describe; smaller groups are left out of every public view.
MIN_GROUP_SIZE = 5
# Hours are logged in quarter hours.
HOUR_STEP = Decimal("0.25")
MAX_HOURS_PER_DAY = Decimal("24")
# How far back a contribution may be logged.
MAX_DAYS_BACK = 366


class Activity(models.Model):
    """What people do for each other in this cooperative: shared meals, neighbour help, the
    money-worries club, hosting the community room, the garden."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="activities"
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "name"], name="activity_name_unique"),
        ]

    def __str__(self):
        return self.name


class ContributionKind(models.TextChoices):
    TIME = "time", _("Time")
    IN_KIND = "in_kind", _("In kind")
    MONEY = "money", _("Money")


class Beneficiary(models.TextChoices):
    MEMBER = "member", _("A member")
    PARTNER = "partner", _("A partner organisation")
    NEIGHBOURHOOD = "neighbourhood", _("The neighbourhood")


class ContributionStatus(models.TextChoices):
    LOGGED = "logged", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class Contribution(models.Model):
    """One gift of time, goods or money by a member, to a member, a partner organisation or the
    neighbourhood as a whole.

    `hours` is a whole number of quarter hours (0 is allowed for a gift in kind or money that took
    no time worth counting). `amount` is only for money given directly (a neighbour's groceries
    paid); it is a record of giving, not money of the cooperative, so it never enters the ledger.
    `logged_by` differs from the contributor's own user when a coordinator logged on their behalf.
    """

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="contributions"
    )
    contributor = models.ForeignKey(
        Membership,
        verbose_name=_("given by"),
        on_delete=models.PROTECT,
        related_name="contributions_given",
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ContributionKind.choices, default=ContributionKind.TIME
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, default=Decimal("0"))
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="contributions"
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    beneficiary = models.CharField(
        _("for whom"),
        max_length=16,
        choices=Beneficiary.choices,
        default=Beneficiary.NEIGHBOURHOOD,
    )
    beneficiary_member = models.ForeignKey(
        Membership,
        verbose_name=_("for member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions_received",
    )
    beneficiary_partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("for organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions_received",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ContributionStatus.choices,
        default=ContributionStatus.LOGGED,
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    logged_at = models.DateTimeField(_("logged at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed or declined by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("confirmed or declined at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-date", "-pk"]
        # The public aggregates count people per group over a year of contributions: these
        # indexes hold every column such a count reads, in the group's order, so that it reads
        # one index rather than the table (an index-only scan on PostgreSQL).
        indexes = [
            models.Index(
                fields=["cooperative", "status", "date", "contributor", "hours"],
                name="contrib_coop_status_date",
            ),
            models.Index(
                fields=["cooperative", "status", "contributor", "date", "hours"],
                name="contrib_people",
            ),
            models.Index(
                fields=["cooperative", "status", "activity", "contributor", "date", "hours"],
                name="contrib_activity_people",
            ),
            models.Index(
                fields=["cooperative", "status", "place", "contributor", "date", "hours"],
                name="contrib_place_people",
            ),
            models.Index(
                fields=[
                    "cooperative",
                    "status",
                    "beneficiary_partner",
                    "contributor",
                    "date",
                    "hours",
                ],
                condition=models.Q(beneficiary="partner"),
                name="contrib_partner_people",
            ),
            models.Index(fields=["contributor", "date"], name="contrib_contributor_date"),
            models.Index(fields=["beneficiary_member", "status"], name="contrib_receiver_status"),
            models.Index(fields=["beneficiary_partner", "status"], name="contrib_partner_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=0, hours__lte=MAX_HOURS_PER_DAY),
                name="contribution_hours_in_day",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ContributionKind.values),
                name="contribution_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ContributionStatus.values),
                name="contribution_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        beneficiary=Beneficiary.MEMBER,
                        beneficiary_member__isnull=False,
                        beneficiary_partner__isnull=True,
                    )
                    | models.Q(
                        beneficiary=Beneficiary.PARTNER,
                        beneficiary_member__isnull=True,
                        beneficiary_partner__isnull=False,
                    )
                    | models.Q(
                        beneficiary=Beneficiary.NEIGHBOURHOOD,
                        beneficiary_member__isnull=True,
                        beneficiary_partner__isnull=True,
                    )
                ),
                name="contribution_one_beneficiary",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=ContributionKind.MONEY, amount__gt=0)
                | (~models.Q(kind=ContributionKind.MONEY) & models.Q(amount__isnull=True)),
                name="contribution_amount_only_for_money",
            ),
        ]

    def __str__(self):
        return f"{self.contributor} {self.date} {self.hours}h"

    @property
    def on_behalf(self) -> bool:
        """Whether someone else (a coordinator) logged this for the contributor."""
        return self.logged_by_id is not None and self.logged_by_id != self.contributor.user_id


class ThanksListing(models.Model):
    """A member's own choice to be named on the cooperative's public thank-you wall.

    Without a row here no public page ever shows the member's name. Leaving the wall deletes
    the row (its history remains for the record)."""

    membership = models.OneToOneField(
        Membership, on_delete=models.PROTECT, related_name="thanks_listing"
    )
    display_name = models.CharField(_("name on the thank-you wall"), max_length=60)
    since = models.DateTimeField(_("on the wall since"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thank-you wall listing")
        verbose_name_plural = _("thank-you wall listings")
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name


class SummaryDimension(models.TextChoices):
    """What a row of the summary of time given counts: everything, or one activity, place or
    partner organisation (its id in `key`; 0 for everything and for no particular place)."""

    ALL = "all", "all"
    ACTIVITY = "activity", "activity"
    PLACE = "place", "place"
    PARTNER = "partner", "partner"


class PersonMonthSummary(models.Model):
    """One member's confirmed contributions in one month, for everything they gave and for
    each activity, place and partner organisation they gave to.

    Derived from the contributions and kept in the same transaction as every change to a
    confirmed contribution (reciprocity/summary.py); `manage.py time_given check` recomputes it.
    The public aggregates read GroupMonthSummary; these rows are what keeps that summary right,
    and they count the people behind a few small groups together."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    contributor = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    dimension = models.CharField(max_length=8, choices=SummaryDimension.choices)
    key = models.BigIntegerField()
    month = models.DateField()
    hours = models.DecimalField(max_digits=12, decimal_places=2)
    contributions = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contributor", "dimension", "key", "month"],
                name="person_month_summary_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(dimension__in=SummaryDimension.values),
                name="person_month_summary_dimension_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["cooperative", "dimension", "key", "month", "contributor"],
                name="person_month_summary_group",
            ),
        ]

    def __str__(self):
        return f"{self.contributor_id} {self.dimension} {self.key} {self.month:%Y-%m}"


class GroupMonthSummary(models.Model):
    """The confirmed contributions of one group (everything, an activity, a place, a partner
    organisation) in one month: hours, contributions, how many people gave in that month
    (`people`), and how many people gave to the group for the last time in that month
    (`people_last`).

    People over a period that runs up to today are then a sum: someone gave in the period
    exactly when the last month they gave falls in it. So a public page reads a few hundred of
    these rows instead of a year of contributions, and counts every person once."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    dimension = models.CharField(max_length=8, choices=SummaryDimension.choices)
    key = models.BigIntegerField()
    month = models.DateField()
    hours = models.DecimalField(max_digits=14, decimal_places=2)
    contributions = models.BigIntegerField()
    people = models.BigIntegerField()
    people_last = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "dimension", "key", "month"],
                name="group_month_summary_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(dimension__in=SummaryDimension.values),
                name="group_month_summary_dimension_valid",
            ),
        ]

    def __str__(self):
        return f"{self.dimension} {self.key} {self.month:%Y-%m}"
