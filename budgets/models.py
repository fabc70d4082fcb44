"""Money the neighbourhood receives and how its residents decide to spend it.

Funders give money through funding streams, each with its own fund account in the ledger.
Residents propose projects; the board checks each proposal against its stream's earmark and the
money left; then the members vote. A vote's electorate and weights are frozen when it opens
(`Voter`). What was voted is kept apart from who voted: a `BallotRecord` has no member column, only
a seal that links it to its voter while the vote is open (so a new ballot can replace the
earlier one) and that is wiped when the vote closes. Closing a vote records the decision and moves
the money of the adopted proposals from the fund to a budget account per project.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budgets import rules
from members.models import Cooperative, Membership, PartnerOrganisation, Place
from wijkbv.ledger.models import Account, Transaction


class Theme(models.TextChoices):
    """What a project is about; a funding stream's earmark is a set of these."""

    CARE = "care", _("Care and well-being")
    MEETING = "meeting", _("Meeting each other")
    GREEN = "green", _("Green and nature")
    YOUTH = "youth", _("Children and young people")
    ELDERLY = "elderly", _("Older residents")
    SAFETY = "safety", _("Safety")
    MONEY = "money", _("Work and money worries")
    HOUSING = "housing", _("Housing and the street")
    CULTURE = "culture", _("Culture and sport")


class FundingStream(models.Model):
    """Money a funder committed to the neighbourhood for a period, with what it may be spent on
    (an empty earmark means: free to spend) and what the funder expects back."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="funding_streams"
    )
    funder = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="funding_streams",
    )
    name = models.CharField(_("name"), max_length=150)
    committed = models.DecimalField(_("committed amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    earmark = models.JSONField(_("may be spent on"), default=list, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    reporting = models.TextField(_("reporting duties"), blank=True)
    # The account the funder pays from, so a bank line from it can be matched to this stream.
    payer_iban = models.CharField(_("funder's account (IBAN)"), max_length=34, blank=True)
    account = models.OneToOneField(
        Account, on_delete=models.PROTECT, related_name="funding_stream", editable=False
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding stream")
        verbose_name_plural = _("funding streams")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "name"], name="stream_name_unique"),
            models.CheckConstraint(
                condition=models.Q(committed__gt=0), name="stream_committed_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="stream_period_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_free(self) -> bool:
        return not self.earmark

    def get_earmark_display(self) -> list[str]:
        return [str(Theme(theme).label) for theme in self.earmark if theme in Theme.values]


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the board's check")
    ELIGIBLE = "eligible", _("Can be voted on")
    REFUSED = "refused", _("Not eligible")
    IN_VOTE = "in_vote", _("In a vote")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(models.Model):
    """A project residents want to do, with the money it needs from one funding stream or from
    the reinvestment reserve (`stream` empty)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="proposals")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("what it is"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    stream = models.ForeignKey(
        FundingStream,
        verbose_name=_("paid from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    theme = models.CharField(_("theme"), max_length=16, choices=Theme.choices)
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    proposed_by = models.ForeignKey(
        Membership,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    working_group = models.CharField(_("working group"), max_length=120, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
    )
    refusal_reason = models.CharField(_("reason"), max_length=300, blank=True)
    budget_account = models.OneToOneField(
        Account,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposal",
        editable=False,
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "number"], name="proposal_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="proposal_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
        ]

    def __str__(self):
        return f"#{self.number} {self.title}"

    @property
    def tally_id(self) -> str:
        """The id the tally rules and the published ballots know this proposal by."""
        return str(self.number)


class VoteKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    BUDGET = "budget", _("Participatory budget")


class Rule(models.TextChoices):
    """How a participatory budget is counted (budgets/rules.py)."""

    GREEDY = rules.GREEDY, _("Most votes first")
    MES = rules.MES, _("Equal shares")
    MES_COMPLETE = rules.MES_COMPLETE, _("Equal shares, then most votes")


class Electorate(models.TextChoices):
    SHAREHOLDERS = "shareholders", _("Shareholders")
    MEMBERS = "members", _("All members")
    RESIDENTS = "residents", _("All registered residents")


class Weighting(models.TextChoices):
    PER_MEMBER = "per_member", _("One member, one vote")
    BY_SHARES = "by_shares", _("Votes by shares")


class Threshold(models.TextChoices):
    """How many of the yes and no votes must be yes (abstentions count for the quorum only)."""

    SIMPLE = "simple", _("More than half")
    TWO_THIRDS = "two_thirds", _("At least two thirds")
    THREE_QUARTERS = "three_quarters", _("At least three quarters")


class Secrecy(models.TextChoices):
    SECRET = "secret", _("Secret ballot")
    OPEN = "open", _("Open (roll call)")


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")
    NO_QUORUM = "no_quorum", _("Not enough votes (no quorum)")
    BUDGET_DECIDED = "budget_decided", _("Budget decided")


class Vote(models.Model):
    """A question or a set of proposals put to the members by the board.

    A yes/no vote is about one proposal (adopting it allocates its money) or a question alone.
    A participatory budget puts several proposals, all paid from one source (`stream`, or the
    reinvestment reserve when empty), under a budget limit. Once opened, the rule, electorate,
    weighting, times, quorum and threshold never change."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="votes")
    title = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("explanation"), blank=True)
    kind = models.CharField(_("kind of vote"), max_length=8, choices=VoteKind.choices)
    rule = models.CharField(_("counting rule"), max_length=16, choices=Rule.choices, blank=True)
    electorate = models.CharField(_("who may vote"), max_length=16, choices=Electorate.choices)
    weighting = models.CharField(_("weighting"), max_length=16, choices=Weighting.choices)
    secrecy = models.CharField(
        _("secrecy"), max_length=8, choices=Secrecy.choices, default=Secrecy.SECRET
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    quorum = models.PositiveSmallIntegerField(
        _("quorum (percent of the votes that must take part)"), default=0
    )
    threshold = models.CharField(
        _("majority needed"), max_length=16, choices=Threshold.choices, blank=True
    )
    stream = models.ForeignKey(
        FundingStream,
        verbose_name=_("paid from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
    )
    budget_limit = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    proposals = models.ManyToManyField(
        Proposal, verbose_name=_("proposals"), related_name="votes", blank=True
    )
    # The record date: who may vote and with how many votes, as it stood then.
    opened_at = models.DateTimeField(_("electorate fixed at"), default=timezone.now)
    opened_by = models.ForeignKey(
        Membership, null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    electorate_size = models.PositiveIntegerField(_("voters"), default=0)
    electorate_weight = models.PositiveIntegerField(_("votes"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    # The decision as counted: totals, turnout, the rule's rounds, winners (see services.close_vote).
    tally = models.JSONField(_("tally"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["tally"])

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="vote_closes_after_opening",
            ),
            models.CheckConstraint(condition=models.Q(quorum__lte=100), name="vote_quorum_percent"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def state(self) -> str:
        now = timezone.now()
        if self.is_closed:
            return "closed"
        if now < self.opens_at:
            return "scheduled"
        if now < self.closes_at:
            return "open"
        return "to_close"


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("On paper")
    PROXY = "proxy", _("By proxy")


class Voter(models.Model):
    """One member of a vote's electorate, frozen when the vote opened, with their weight. Records
    that they voted and how, never what."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="voters")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveIntegerField(_("votes"))
    voted = models.BooleanField(_("voted"), default=False)
    channel = models.CharField(_("how"), max_length=8, choices=Channel.choices, blank=True)
    # Who holds this voter's proxy, if anyone.
    proxy_holder = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proxies_held",
        verbose_name=_("proxy given to"),
    )

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["vote", "membership__member_number"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "membership"], name="voter_once_per_vote"),
            models.CheckConstraint(
                condition=~models.Q(proxy_holder=models.F("id")), name="voter_no_proxy_to_self"
            ),
        ]

    def __str__(self):
        return f"{self.vote} #{self.membership.member_number}"


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


def _new_ballot_id():
    return uuid.uuid4()


class BallotRecord(models.Model):
    """What one voter voted, without who: the row has no member and no time, and a random id, so
    neither its columns nor its order say whose it is.

    `seal` is a keyed hash of vote and voter: while the vote is open it finds the ballot a new
    one replaces; closing the vote wipes it. `tracker` is the voter's receipt: the hash of the
    ballot's content and `nonce`, published with every final ballot when the vote closes."""

    id = models.UUIDField(primary_key=True, default=_new_ballot_id, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(_("choice"), max_length=8, choices=YesNo.choices, blank=True)
    approvals = models.JSONField(_("approved proposals"), default=list, blank=True)
    weight = models.PositiveIntegerField(_("votes"))
    channel = models.CharField(_("how"), max_length=8, choices=Channel.choices)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nonce = models.CharField(max_length=32, editable=False)
    tracker = models.CharField(_("receipt"), max_length=64, unique=True, editable=False)
    seal = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["vote", "tracker"]

    def __str__(self):
        return self.tracker[:12]


class RollCall(models.Model):
    """In an open (roll-call) vote, what each voter voted, by name: for board decisions."""

    voter = models.OneToOneField(Voter, on_delete=models.PROTECT, related_name="roll_call")
    ballot = models.OneToOneField(BallotRecord, on_delete=models.PROTECT, related_name="roll_call")

    class Meta:
        verbose_name = _("roll call")
        verbose_name_plural = _("roll calls")

    def __str__(self):
        return f"{self.voter}: {self.ballot}"


class Agreement(models.Model):
    """Who does what, by when, to carry out an adopted proposal. The person responsible gets an
    e-mail reminder before the due date."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="agreements")
    what = models.CharField(_("what"), max_length=200)
    responsible = models.ForeignKey(
        Membership,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    due_on = models.DateField(_("by when"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("made"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.what


class YearClose(models.Model):
    """A closed financial year and the result that went to the reinvestment reserve."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="year_closes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    result = models.DecimalField(_("result"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    closed_at = models.DateTimeField(_("closed"), default=timezone.now)

    class Meta:
        verbose_name = _("closed year")
        verbose_name_plural = _("closed years")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year"], name="year_closed_once"),
        ]

    def __str__(self):
        return str(self.year)


# Bank statements


class BankAccount(models.Model):
    """A bank account of the cooperative, by IBAN (stored compact, without spaces), with the
    ledger account its money is booked on. Statements are imported only for these accounts."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="bank_accounts"
    )
    iban = models.CharField(_("IBAN"), max_length=34)
    name = models.CharField(_("name"), max_length=100)
    ledger_account = models.ForeignKey(
        Account,
        verbose_name=_("ledger account"),
        on_delete=models.PROTECT,
        related_name="bank_accounts",
        limit_choices_to={"purpose": "bank"},
    )
    # Where this bank's CSV export keeps each value (budgets.statements.csvfile.Mapping as a
    # dict), saved once so that later CSV files of the account import without asking again.
    csv_mapping = models.JSONField(_("CSV columns"), default=dict, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "iban"], name="bank_account_iban_unique"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.iban})"


class StatementFormat(models.TextChoices):
    CAMT053 = "camt053", "CAMT.053"
    MT940 = "mt940", "MT940"
    CSV = "csv", "CSV"


class StatementImport(models.Model):
    """One imported file. The same file (by its SHA-256) is imported once per cooperative;
    `line_count` is the number of new lines it stored."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="statement_imports"
    )
    bank_account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    format = models.CharField(_("format"), max_length=16, choices=StatementFormat.choices)
    imported_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    line_count = models.PositiveIntegerField(_("new lines"), default=0)

    class Meta:
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "file_sha256"], name="statement_file_imported_once"
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=StatementFormat.values),
                name="statement_import_format_valid",
            ),
        ]

    def __str__(self):
        return self.file_name


class BankStatement(models.Model):
    """One statement of a bank account as the bank sent it: opening balance + its lines =
    closing balance, and its opening balance follows on from the statement before it."""

    bank_account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, related_name="statements"
    )
    statement_import = models.ForeignKey(
        StatementImport, on_delete=models.PROTECT, related_name="statements"
    )
    statement_id = models.CharField(_("statement"), max_length=200, blank=True)
    opening_balance = models.DecimalField(_("opening balance"), max_digits=20, decimal_places=2)
    opening_date = models.DateField(_("opening date"))
    closing_balance = models.DecimalField(_("closing balance"), max_digits=20, decimal_places=2)
    closing_date = models.DateField(_("closing date"))

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["closing_date", "pk"]
        indexes = [
            models.Index(fields=["bank_account", "closing_date"], name="statement_account_closing"),
        ]

    def __str__(self):
        return self.statement_id


class BankLineStatus(models.TextChoices):
    UNMATCHED = "unmatched", _("Not matched yet")
    MATCHED = "matched", _("Waiting with a suggestion")
    BOOKED = "booked", _("Booked")


class BankLine(models.Model):
    """One line of a bank statement, stored once per bank account: `fingerprint` is a SHA-256
    over the fields that identify it (with a counter for identical lines in one statement), so
    overlapping statements never store a line twice. Amounts are signed: money in is positive."""

    # No index of its own: the line's indexes below all start with its bank account. Both
    # references are checked by PostgreSQL once per statement, not by a foreign key per row
    # (migration 0009, ADR 0067).
    bank_account = models.ForeignKey(
        BankAccount,
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
        db_constraint=False,
    )
    statement = models.ForeignKey(
        BankStatement, on_delete=models.PROTECT, related_name="lines", db_constraint=False
    )
    booking_date = models.DateField(_("booking date"))
    value_date = models.DateField(_("value date"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    counterparty_name = models.TextField(_("counterparty"), blank=True)
    counterparty_iban = models.CharField(_("counterparty account"), max_length=70, blank=True)
    remittance = models.TextField(_("description"), blank=True)
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=140, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=140, blank=True)
    reversal = models.BooleanField(_("reversal"), default=False)
    fingerprint = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=BankLineStatus.choices,
        default=BankLineStatus.UNMATCHED,
    )
    # The best suggestion matching found, kept for the treasurer to accept or not: the kind and
    # key of the open item (as budgets.matching names them), how sure, and why. The import
    # writes lines with its own INSERT (or COPY) naming the columns it fills, so these have a
    # default in the database too.
    suggested_kind = models.CharField(
        _("suggested kind"), max_length=32, blank=True, default="", db_default=""
    )
    suggested_key = models.CharField(
        _("suggested item"), max_length=64, blank=True, default="", db_default=""
    )
    suggested_confidence = models.FloatField(_("confidence"), null=True, blank=True)
    suggested_reason = models.CharField(
        _("reason"), max_length=32, blank=True, default="", db_default=""
    )
    # The ledger transaction that booked this line, once it is booked.
    booked_transaction = models.ForeignKey(
        Transaction,
        verbose_name=_("booked as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        # Checked by PostgreSQL once per statement (migration 0009, ADR 0067). No index: see
        # the note on indexes below.
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("bank line")
        verbose_name_plural = _("bank lines")
        ordering = ["booking_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank_account", "fingerprint"], name="bank_line_stored_once"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=BankLineStatus.values),
                name="bank_line_status_valid",
            ),
        ]
        # Neither the status nor the transaction a line is booked as is in an index, and on
        # PostgreSQL each page of lines keeps half its room free (migration 0010, ADR 0069). So
        # booking a line rewrites it within its page and touches no index: a year's matching
        # books 45,000 lines. The lines waiting are found by their bank account (they are a few
        # of its lines per statement), the lines of a transaction by one grouped query.
        indexes = [
            models.Index(fields=["bank_account", "booking_date"], name="bank_line_account_date"),
        ]

    def __str__(self):
        return f"{self.booking_date} {self.amount}"


# Expenses and advances


class ExpenseKind(models.TextChoices):
    CLAIM = "claim", _("Claim: paid back to a member")
    INVOICE = "invoice", _("Invoice of a supplier")


class ExpenseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved, waiting for payment")
    PAID = "paid", _("Paid")
    RECONCILED = "reconciled", _("Paid and found on the bank statement")
    REJECTED = "rejected", _("Rejected")


class AdvanceStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    APPROVED = "approved", _("Approved, waiting for payment")
    PAID = "paid", _("Paid, waiting for the receipts")
    OWED = "owed", _("Settled, money still to be returned")
    SETTLED = "settled", _("Settled")
    REJECTED = "rejected", _("Rejected")


class PaymentBatch(models.Model):
    """Approved expenses and advances paid together from one bank account of the cooperative:
    one ledger transaction and one SEPA credit-transfer file (pain.001), kept with its SHA-256.
    Written once, with its audit event; its items point at it."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="payment_batches"
    )
    number = models.PositiveIntegerField(_("number"))
    bank_account = models.ForeignKey(
        BankAccount,
        verbose_name=_("paid from"),
        on_delete=models.PROTECT,
        related_name="payment_batches",
    )
    execution_date = models.DateField(_("pay on"))
    message_id = models.CharField(_("message id"), max_length=35)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    item_count = models.PositiveIntegerField(_("payments"))
    file = models.BinaryField(_("SEPA file"), editable=False)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, editable=False)
    # Set in the same database transaction, by the booking that names the batch as its cause.
    transaction = models.OneToOneField(
        Transaction,
        null=True,
        on_delete=models.PROTECT,
        related_name="payment_batch",
        editable=False,
    )
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("made"), default=timezone.now)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "number"], name="payment_batch_number_unique"
            ),
            models.UniqueConstraint(fields=["message_id"], name="payment_batch_message_id_unique"),
            models.CheckConstraint(
                condition=models.Q(total__gt=0), name="payment_batch_total_positive"
            ),
        ]

    def __str__(self):
        return f"#{self.number}"


class Expense(models.Model):
    """Money spent on a project, from its budget account (a ledger account with purpose project
    budget, opened when its proposal was adopted): a member's claim, paid back to the IBAN they
    gave, or a supplier's invoice.

    Two different people approve it (the treasurer, a board member or the project's lead), never
    the claimant and never whoever submitted it; the second approval makes it approved, and only
    while the budget has the money left. A payment batch pays it: `end_to_end_id` is the id the
    bank gives back on the statement line of the payment."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="expenses")
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=8, choices=ExpenseKind.choices)
    budget = models.ForeignKey(
        Account,
        verbose_name=_("project budget"),
        on_delete=models.PROTECT,
        related_name="expenses",
        limit_choices_to={"purpose": "project_budget"},
    )
    claimant = models.ForeignKey(
        Membership,
        verbose_name=_("claimed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expense_claims",
    )
    supplier_name = models.CharField(_("supplier"), max_length=70, blank=True)
    # Erased (left empty) when the claimant is forgotten; a supplier's stays.
    payee_iban = models.CharField(_("paid to account (IBAN)"), max_length=34, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    description = models.CharField(_("what for"), max_length=300)
    spent_on = models.DateField(_("date of the receipt"))
    status = models.CharField(
        _("status"), max_length=16, choices=ExpenseStatus.choices, default=ExpenseStatus.SUBMITTED
    )
    rejection_reason = models.CharField(_("reason"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    first_approver = models.ForeignKey(
        Membership,
        verbose_name=_("first approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    second_approver = models.ForeignKey(
        Membership,
        verbose_name=_("second approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    decided_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The advance whose claimed difference this is, if any: its receipts are the advance's.
    advance = models.OneToOneField(
        "Advance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="difference_claim",
        editable=False,
    )
    batch = models.ForeignKey(
        PaymentBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expenses",
        editable=False,
    )
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35, blank=True, editable=False)
    reconciled_line = models.ForeignKey(
        BankLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="expense_number_unique"),
            models.UniqueConstraint(
                fields=["end_to_end_id"],
                condition=~models.Q(end_to_end_id=""),
                name="expense_end_to_end_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="expense_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ExpenseStatus.values), name="expense_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind=ExpenseKind.CLAIM, claimant__isnull=False)
                | models.Q(kind=ExpenseKind.INVOICE, claimant__isnull=True),
                name="expense_claim_has_claimant",
            ),
            models.CheckConstraint(
                condition=models.Q(first_approver__isnull=True)
                | ~models.Q(first_approver=models.F("second_approver")),
                name="expense_two_different_approvers",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["paid", "reconciled"])
                | models.Q(batch__isnull=False),
                name="expense_paid_in_a_batch",
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "status"], name="expense_coop_status")]

    def __str__(self):
        return f"#{self.number} {self.description}"

    @property
    def payee_name(self) -> str:
        return (
            self.supplier_name if self.kind == ExpenseKind.INVOICE else self.claimant.user.full_name
        )


class Advance(models.Model):
    """Money a resident asks for before they buy something for a project: approved by two
    different people as an expense is, paid in a batch (to account 1300, advances to residents),
    then settled with the receipts. What was not spent is returned (`to_return`, `OWED` until the
    treasurer records it received); what was spent above the advance is claimed as an expense of
    its own (`difference_claim`). Settled once."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="advances")
    number = models.PositiveIntegerField(_("number"))
    budget = models.ForeignKey(
        Account,
        verbose_name=_("project budget"),
        on_delete=models.PROTECT,
        related_name="advances",
        limit_choices_to={"purpose": "project_budget"},
    )
    holder = models.ForeignKey(
        Membership, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="advances"
    )
    # Erased (left empty) when the holder is forgotten.
    payee_iban = models.CharField(_("paid to account (IBAN)"), max_length=34, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    purpose = models.CharField(_("what for"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=AdvanceStatus.choices, default=AdvanceStatus.REQUESTED
    )
    rejection_reason = models.CharField(_("reason"), max_length=300, blank=True)
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    first_approver = models.ForeignKey(
        Membership,
        verbose_name=_("first approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    second_approver = models.ForeignKey(
        Membership,
        verbose_name=_("second approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    decided_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        PaymentBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advances",
        editable=False,
    )
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35, blank=True, editable=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)
    reconciled_line = models.ForeignKey(
        BankLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    spent = models.DecimalField(
        _("spent"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    to_return = models.DecimalField(
        _("to be returned"),
        max_digits=14,
        decimal_places=2,
        default=0,
        editable=False,
    )
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True, editable=False)
    returned_on = models.DateField(_("returned on"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("advance")
        verbose_name_plural = _("advances")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="advance_number_unique"),
            models.UniqueConstraint(
                fields=["end_to_end_id"],
                condition=~models.Q(end_to_end_id=""),
                name="advance_end_to_end_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="advance_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AdvanceStatus.values), name="advance_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(first_approver__isnull=True)
                | ~models.Q(first_approver=models.F("second_approver")),
                name="advance_two_different_approvers",
            ),
            models.CheckConstraint(
                condition=models.Q(to_return__gte=0), name="advance_to_return_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "status"], name="advance_coop_status")]

    def __str__(self):
        return f"#{self.number} {self.purpose}"


class ReceiptFile(models.Model):
    """A receipt or invoice file (PDF, JPEG or PNG, checked by its content) of an expense or of
    an advance's settlement. The file lies outside the web root under a random name
    (budgets/expenses/receipts.py) and is served only by a view that checks who asks; its
    SHA-256 shows it was never changed. Written once, with the decision it belongs to."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="receipt_files"
    )
    expense = models.ForeignKey(
        Expense, null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    advance = models.ForeignKey(
        Advance, null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expense__isnull=False, advance__isnull=True)
                | models.Q(expense__isnull=True, advance__isnull=False),
                name="receipt_of_one_expense_or_advance",
            ),
        ]

    def __str__(self):
        return self.original_name
