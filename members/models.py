"""The cooperative itself, the people in it and their roles, places and partner organisations."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from simple_history.models import HistoricalRecords

from members.validators import validate_kvk_number, validate_postcode


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    COORDINATOR = "coordinator", _("Coordinator")
    BOARD = "board", _("Board member")
    TREASURER = "treasurer", _("Treasurer")
    AUDIT_COMMITTEE = "audit_committee", _("Audit committee")
    FUNDER = "funder", _("Funder")


# Roles whose accounts can move money or approve decisions: they must log in with a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.BOARD, Role.TREASURER})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # E-mail addresses are matched without regard to case, as people type them.
        return self.get(email__iexact=username)

    def create_user(self, email=None, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an e-mail address; a resident registered by a coordinator may have
    none, and then has no password either: the coordinator acts on their behalf."""

    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    full_name = models.CharField(_("name"), max_length=150)
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    street_address = models.CharField(_("street and house number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    city = models.CharField(_("town or city"), max_length=100, blank=True)
    registered_by = models.ForeignKey(
        "self",
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self):
        return self.full_name or self.email or f"#{self.pk}"

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else ""


class VotingMode(models.TextChoices):
    PER_MEMBER = "per_member", _("One member, one vote")
    BY_SHARES = "by_shares", _("Votes by shares")


class Cooperative(models.Model):
    """A neighbourhood cooperative (wijk-BV). Its articles are kept as settings on this row."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name in web addresses"), max_length=60, unique=True)
    legal_form = models.CharField(_("legal form"), max_length=40, default="BV")
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[validate_kvk_number]
    )
    area_postcodes = models.JSONField(_("postcodes of the area"), default=list, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    # Articles of association, as the software needs them.
    voting_mode = models.CharField(
        _("voting"), max_length=16, choices=VotingMode.choices, default=VotingMode.PER_MEMBER
    )
    max_shares_per_member = models.PositiveIntegerField(
        _("most shares one member may hold"), null=True, blank=True
    )
    max_votes_per_member = models.PositiveIntegerField(
        _("most votes one member may cast"), null=True, blank=True
    )
    social_value_hourly_rate = MoneyField(
        _("social value of an hour"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        default_currency="EUR",
    )
    reinvestment_rule = models.TextField(_("how profit is reinvested"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(voting_mode__in=VotingMode.values), name="coop_voting_mode_valid"
            ),
        ]

    def __str__(self):
        return self.name


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class Membership(models.Model):
    """A person's place in one cooperative: member number, status and roles.

    A person may belong to several cooperatives; the member number is unique within one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="memberships"
    )
    member_number = models.PositiveIntegerField(_("member number"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    joined_on = models.DateField(_("member since"), default=timezone.localdate)
    is_resident = models.BooleanField(_("resident"), default=False)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_board = models.BooleanField(_("board member"), default=False)
    is_treasurer = models.BooleanField(_("treasurer"), default=False)
    is_audit_committee = models.BooleanField(_("audit committee"), default=False)
    is_funder = models.BooleanField(_("funder"), default=False)
    partner_organisation = models.ForeignKey(
        "PartnerOrganisation",
        verbose_name=_("on behalf of organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )

    history = HistoricalRecords()

    ROLE_FIELDS = {
        Role.RESIDENT: "is_resident",
        Role.COORDINATOR: "is_coordinator",
        Role.BOARD: "is_board",
        Role.TREASURER: "is_treasurer",
        Role.AUDIT_COMMITTEE: "is_audit_committee",
        Role.FUNDER: "is_funder",
    }

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["cooperative", "member_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cooperative"], name="membership_once_per_coop"
            ),
            models.UniqueConstraint(
                fields=["cooperative", "member_number"], name="member_number_unique_per_coop"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MembershipStatus.values),
                name="membership_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.cooperative} #{self.member_number}"

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(role for role, field in self.ROLE_FIELDS.items() if getattr(self, field))

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE

    def get_roles_display(self) -> list[str]:
        return [Role(role).label for role in Role.values if role in self.roles]


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A one-time link that makes its holder a member with the given roles.

    Only a hash of the token is stored, so a database leak does not leak working links."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    roles = models.JSONField(_("roles"), default=list)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.cooperative}: {self.email or _('invitation')}"


class PlaceKind(models.TextChoices):
    COMMUNITY_ROOM = "community_room", _("Community room")
    GARDEN = "garden", _("Garden")
    KITCHEN = "kitchen", _("Kitchen")
    OTHER = "other", _("Other place")


class Place(models.Model):
    """Where activities happen: a community room, a garden, a kitchen."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="places")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "name"], name="place_name_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=PlaceKind.values), name="place_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Sector(models.TextChoices):
    """The five O's of a neighbourhood network."""

    BUSINESS = "business", _("Business (ondernemers)")
    EDUCATION = "education", _("Education (onderwijs)")
    RESEARCH = "research", _("Research (onderzoek)")
    GOVERNMENT = "government", _("Government (overheid)")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood (omgeving)")


class PartnerOrganisation(models.Model):
    """An organisation the neighbourhood works with: the municipality, a health insurer, a care
    provider, a fund, a shop. Some fund the cooperative; many lean on its volunteers."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="partner_organisations"
    )
    name = models.CharField(_("name"), max_length=150)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    description = models.CharField(_("what they do"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "name"], name="partner_name_unique"),
            models.CheckConstraint(
                condition=models.Q(sector__in=Sector.values), name="partner_sector_valid"
            ),
        ]

    def __str__(self):
        return self.name


class RetainedIdentity(models.Model):
    """Who a forgotten member was, kept apart for the law's retention of financial records.

    When a person who has financial records (shares, subscriptions, payments) asks to be
    forgotten, their name and address are erased everywhere else; the tax rules still require the
    cooperative to know whom its books are about for seven years after the end of the financial
    year of the last record. Only the treasurer and the audit committee of the cooperative read
    this row, on a page of its own, and `purge_retained_identities` deletes it after
    `retain_until`. It keeps no row history: a history would keep the identity the purge erases.
    """

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="retained_identities"
    )
    member_number = models.PositiveIntegerField(_("member number"))
    full_name = models.CharField(_("name"), max_length=150)
    street_address = models.CharField(_("street and house number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("town or city"), max_length=100, blank=True)
    last_financial_record_on = models.DateField(_("last financial record"))
    forgotten_on = models.DateField(_("forgotten on"))
    retain_until = models.DateField(_("kept until"))

    class Meta:
        verbose_name = _("retained identity")
        verbose_name_plural = _("retained identities")
        ordering = ["cooperative", "member_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "member_number"], name="retained_identity_once_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(retain_until__gte=models.F("forgotten_on")),
                name="retained_identity_kept_after_forgetting",
            ),
        ]

    def __str__(self):
        return f"{self.cooperative_id} #{self.member_number}"

    @property
    def address(self) -> str:
        return ", ".join(
            part for part in (self.street_address, f"{self.postcode} {self.city}".strip()) if part
        )
