"""Every change to funding streams, proposals, votes, ballots, agreements and the year's result.

Each decision runs in one transaction, locks what it decides on and appends one audit event. A
decision that moves money (money received for a stream, a vote that adopts proposals, the year's
result) is booked with `post_transaction`, whose event is then that decision's one event.

Locks are taken in one order: the cooperative's row first where money is reserved or allocated
(opening and closing a vote, checking a proposal), then the vote's row, then voter rows in order
of id. So two closes of one vote, or a close and a check, wait for each other instead of both
spending the same money.

Secrecy: a ballot row has no member and no time. The audit event of casting a ballot names the
voter and never the ballot's content or receipt.
"""

import contextlib
import dataclasses
import datetime
import gc
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import attrgetter
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from djmoney.money import Money
from stdnum import exceptions as stdnum_exceptions
from stdnum import iban as iban_numbers

from budgets import matching, sepa
from budgets.counting import frozen_electorate, tally_budget, tally_yes_no, tracker_for
from budgets.expenses import receipts
from budgets.expenses import selectors as expense_selectors
from budgets.models import (
    Advance,
    AdvanceStatus,
    Agreement,
    BallotRecord,
    BankAccount,
    BankLine,
    BankLineStatus,
    BankStatement,
    Channel,
    Electorate,
    Expense,
    ExpenseKind,
    ExpenseStatus,
    FundingStream,
    Outcome,
    PaymentBatch,
    Proposal,
    ProposalStatus,
    ReceiptFile,
    RollCall,
    Rule,
    Secrecy,
    StatementFormat,
    StatementImport,
    Theme,
    Threshold,
    Vote,
    VoteKind,
    Voter,
    Weighting,
    YearClose,
    YesNo,
)
from budgets.sources import (
    credit_balance,
    money_left,
    reinvestment_reserve,
    source_account,
)
from budgets.statements import camt053, csvfile, mt940
from budgets.statements import model as statement_model
from members.models import (
    Cooperative,
    Membership,
    MembershipStatus,
    PartnerOrganisation,
    Place,
    Role,
)
from members.permissions import holds_role, membership_for, require_role
from wijkbv.audit.references import subject_reference
from wijkbv.audit.services import append_event
from wijkbv.audit.statements import array_literal
from wijkbv.cleaning import clean_text
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import (
    Account,
    AccountType,
    Balance,
    Posting,
    Purpose,
    Transaction,
    cents,
)
from wijkbv.ledger.services import open_accounts_within, post_transaction

MAX_TITLE = 120
MAX_QUESTION = 200
MAX_DESCRIPTION = 4000
MAX_TEXT = 2000
MAX_REASON = 300
MAX_WHAT = 200
MAX_AMOUNT = Decimal("999999999999.99")
# A member may hold this many other members' proxies in one vote, as is usual in articles.
MAX_PROXIES_PER_HOLDER = 2
# The roles that propose projects and vote: the people of the neighbourhood, not its funders.
RESIDENT_ROLES = (Role.RESIDENT, Role.COORDINATOR, Role.BOARD, Role.TREASURER, Role.AUDIT_COMMITTEE)

STREAM_ADDED = "budget.stream_added"
STREAM_RECEIVED = "budget.stream_received"
PROPOSAL_SUBMITTED = "budget.proposal_submitted"
PROPOSAL_WITHDRAWN = "budget.proposal_withdrawn"
PROPOSAL_CHECKED = "budget.proposal_checked"
VOTE_OPENED = "budget.vote_opened"
BALLOT_CAST = "budget.ballot_cast"
PAPER_BALLOT_ENTERED = "budget.paper_ballot_entered"
PROXY_GIVEN = "budget.proxy_given"
PROXY_WITHDRAWN = "budget.proxy_withdrawn"
VOTE_CLOSED = "budget.vote_closed"
AGREEMENT_MADE = "budget.agreement_made"
AGREEMENT_DONE = "budget.agreement_done"
YEAR_CLOSED = "budget.year_closed"


def _is_system(actor) -> bool:
    return actor is None or actor.is_staff


def _require(actor, cooperative, *roles) -> Membership | None:
    if _is_system(actor):
        return None
    return require_role(actor, cooperative, *roles)


def _set_history(instance, actor, reason: str) -> None:
    instance._history_user = actor
    instance._change_reason = reason


def _euros(amount: Decimal, currency: str) -> str:
    return str(Money(amount, currency))


# Cleaning input


def _clean_amount(value, currency: str, *, field: str = "amount") -> Decimal:
    invalid = DomainError(
        _("Fill in an amount in euros and cents, more than zero: for example 1500 or 1500,50."),
        field=field,
    )
    if isinstance(value, Money):
        if value.currency.code != currency:
            raise DomainError(
                _("Fill in the amount in %(currency)s.") % {"currency": currency}, field=field
            )
        value = value.amount
    if value is None or isinstance(value, bool | float):
        raise invalid
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise invalid from None
    if isinstance(value, int):
        value = Decimal(value)
    if (
        not isinstance(value, Decimal)
        or not value.is_finite()
        or value <= 0
        or value > MAX_AMOUNT
        or value != round(value, 2)
    ):
        raise invalid
    return value.quantize(Decimal("0.01"))


def _clean_date(value, *, field: str) -> datetime.date:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        raise DomainError(_("Fill in a date."), field=field)
    return value


def _clean_moment(value, *, field: str) -> datetime.datetime:
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime.datetime):
        raise DomainError(_("Fill in a date and time."), field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _check_own(cooperative, obj, model, *, field: str, message):
    if not isinstance(obj, model) or obj.cooperative_id != cooperative.pk:
        raise DomainError(message, field=field)
    return obj


# Money a source has left


def _lock_cooperative(cooperative) -> Cooperative:
    return Cooperative.objects.select_for_update().get(pk=cooperative.pk)


# Funding streams


def _clean_earmark(earmark) -> list[str]:
    if earmark is None:
        return []
    if isinstance(earmark, str) or not all(isinstance(theme, str) for theme in earmark):
        raise DomainError(_("Choose the themes from the list."), field="earmark")
    themes = list(dict.fromkeys(earmark))
    if any(theme not in Theme.values for theme in themes):
        raise DomainError(_("Choose the themes from the list."), field="earmark")
    return sorted(themes)


def _next_stream_code(cooperative) -> str:
    taken = set(
        Account.objects.filter(cooperative=cooperative, code__startswith="20").values_list(
            "code", flat=True
        )
    )
    number = 1
    while f"20{number:02d}" in taken:
        number += 1
    if number > 99:
        raise DomainError(_("This cooperative has no room for another funding stream."))
    return f"20{number:02d}"


@transaction.atomic
def add_funding_stream(
    cooperative,
    *,
    actor,
    funder,
    name: str,
    committed,
    starts_on,
    ends_on,
    earmark=(),
    conditions: str = "",
    reporting: str = "",
    payer_iban: str = "",
) -> FundingStream:
    """The board or the treasurer records money a funder has committed, and opens the stream's
    fund account in the ledger, where the money it sends will be kept until the members decide.
    `payer_iban`, the account the funder pays from (stored compact), lets matching book the
    funder's payments for this stream."""
    cooperative = _lock_cooperative(cooperative)
    _require(actor, cooperative, Role.BOARD, Role.TREASURER)
    funder = _check_own(
        cooperative,
        funder,
        PartnerOrganisation,
        field="funder",
        message=_("Choose one of this cooperative's partner organisations as the funder."),
    )
    name = clean_text(name, field="name", limit=150, required_message=_("Fill in a name."))
    if FundingStream.objects.filter(cooperative=cooperative, name__iexact=name).exists():
        raise DomainError(_("There is already a funding stream with this name."), field="name")
    committed = _clean_amount(committed, cooperative.currency, field="committed")
    starts_on = _clean_date(starts_on, field="starts_on")
    ends_on = _clean_date(ends_on, field="ends_on")
    if ends_on < starts_on:
        raise DomainError(_("The end date comes before the start date."), field="ends_on")
    earmark = _clean_earmark(earmark)
    conditions = clean_text(conditions, field="conditions", limit=MAX_TEXT)
    reporting = clean_text(reporting, field="reporting", limit=MAX_TEXT)
    payer_iban = _clean_payer_iban(payer_iban)
    code = _next_stream_code(cooperative)
    (account,) = open_accounts_within(
        cooperative,
        [
            {
                "code": code,
                "name": _("Fund: %(name)s") % {"name": name},
                "type": AccountType.LIABILITY,
                "purpose": Purpose.FUNDING_STREAM,
            }
        ],
    )
    stream = FundingStream(
        cooperative=cooperative,
        funder=funder,
        name=name,
        committed=committed,
        currency=cooperative.currency,
        starts_on=starts_on,
        ends_on=ends_on,
        earmark=earmark,
        conditions=conditions,
        reporting=reporting,
        payer_iban=payer_iban,
        account=account,
    )
    _set_history(stream, actor, "added")
    stream.save()
    # The fund's account names its stream, as a project budget names its proposal.
    account.stands_for = subject_reference(stream)
    account.save(update_fields=["stands_for"])
    append_event(
        cooperative,
        actor=actor,
        action=STREAM_ADDED,
        subject=stream,
        payload={
            "name": name,
            "funder": funder.name,
            "committed": str(committed),
            "currency": cooperative.currency,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "earmark": earmark,
            "account": code,
            # Whether the funder's account is known, not its number: the chain keeps no IBANs.
            "payer_account_known": bool(payer_iban),
        },
    )
    return stream


def _clean_payer_iban(value) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    try:
        return iban_numbers.validate(value if isinstance(value, str) else "")
    except stdnum_exceptions.ValidationError:
        raise DomainError(
            _("This is not a valid IBAN. Check the number, for example NL91 ABNA 0417 1643 00."),
            field="payer_iban",
        ) from None


@transaction.atomic
def record_stream_receipt(
    stream, *, actor, amount, received_on=None, description: str = ""
) -> Transaction:
    """The treasurer records money a funder sent for a stream: it goes from the bank into the
    stream's fund. (Bank statement import books the same way.)"""
    stream = FundingStream.objects.select_related("cooperative", "account").get(pk=stream.pk)
    cooperative = stream.cooperative
    _require(actor, cooperative, Role.TREASURER)
    amount = _clean_amount(amount, stream.currency)
    received_on = timezone.localdate() if received_on is None else received_on
    received_on = _clean_date(received_on, field="received_on")
    if received_on > timezone.localdate():
        raise DomainError(
            _("This date has not come yet: record money that has arrived."), field="received_on"
        )
    description = clean_text(description, field="description", limit=MAX_REASON)
    bank = Account.objects.get(cooperative=cooperative, purpose=Purpose.BANK)
    money = Money(amount, stream.currency)
    return post_transaction(
        cooperative,
        actor=actor,
        booking_date=received_on,
        description=description
        or _("Received for %(stream)s from %(funder)s")
        % {"stream": stream.name, "funder": stream.funder.name},
        lines=[debit(bank, money), credit(stream.account, money)],
        cause=stream,
        action=STREAM_RECEIVED,
        details={"stream": stream.name, "amount": str(amount)},
    )


# Proposals


def _next_proposal_number(cooperative) -> int:
    return (
        Proposal.objects.filter(cooperative=cooperative).aggregate(n=Max("number"))["n"] or 0
    ) + 1


def _check_stream(cooperative, stream) -> FundingStream | None:
    if stream is None:
        return None
    return _check_own(
        cooperative,
        stream,
        FundingStream,
        field="stream",
        message=_("Choose one of this cooperative's funding streams, or the reserve."),
    )


@transaction.atomic
def submit_proposal(
    cooperative,
    *,
    actor,
    title: str,
    description: str,
    amount,
    theme: str,
    stream=None,
    place=None,
    working_group: str = "",
    proposer=None,
) -> Proposal:
    """A resident, or a working group through one of its members, proposes a project. The
    system (the demo, a command) names the `proposer` membership itself."""
    cooperative = _lock_cooperative(cooperative)
    if _is_system(actor):
        if not isinstance(proposer, Membership) or proposer.cooperative_id != cooperative.pk:
            raise DomainError(_("Say who proposes this."), field="proposer")
        membership = proposer
    else:
        membership = require_role(actor, cooperative, *RESIDENT_ROLES)
    title = clean_text(
        title, field="title", limit=MAX_TITLE, required_message=_("Fill in a title.")
    )
    description = clean_text(
        description,
        field="description",
        limit=MAX_DESCRIPTION,
        required_message=_("Say in a few sentences what the project is and who it is for."),
    )
    amount = _clean_amount(amount, cooperative.currency)
    if theme not in Theme.values:
        raise DomainError(_("Choose a theme."), field="theme")
    stream = _check_stream(cooperative, stream)
    if place is not None:
        place = _check_own(
            cooperative,
            place,
            Place,
            field="place",
            message=_("Choose one of this cooperative's places."),
        )
    working_group = clean_text(working_group, field="working_group", limit=120)
    proposal = Proposal(
        cooperative=cooperative,
        number=_next_proposal_number(cooperative),
        title=title,
        description=description,
        amount=amount,
        currency=cooperative.currency,
        stream=stream,
        theme=theme,
        place=place,
        proposed_by=membership,
        working_group=working_group,
    )
    _set_history(proposal, actor, "submitted")
    proposal.save()
    append_event(
        cooperative,
        actor=actor,
        action=PROPOSAL_SUBMITTED,
        subject=proposal,
        payload={
            "number": proposal.number,
            "title": title,
            "amount": str(amount),
            "currency": cooperative.currency,
            "stream": stream.name if stream else None,
            "theme": theme,
            "proposed_by": membership.member_number,
        },
    )
    return proposal


def _lock_proposal(proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("cooperative", "stream", "proposed_by")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def withdraw_proposal(proposal, *, actor) -> Proposal:
    """The proposer (or the board) takes a proposal back, as long as no vote has it."""
    proposal = _lock_proposal(proposal)
    cooperative = proposal.cooperative
    membership = _require(actor, cooperative)
    if membership is not None and membership.pk != proposal.proposed_by_id:
        require_role(actor, cooperative, Role.BOARD)
    if proposal.status not in (
        ProposalStatus.SUBMITTED,
        ProposalStatus.ELIGIBLE,
        ProposalStatus.REFUSED,
    ):
        raise DomainError(
            _("This proposal can no longer be withdrawn: it is %(status)s.")
            % {"status": proposal.get_status_display().lower()}
        )
    proposal.status = ProposalStatus.WITHDRAWN
    _set_history(proposal, actor, "withdrawn")
    proposal.save(update_fields=["status"])
    append_event(
        cooperative,
        actor=actor,
        action=PROPOSAL_WITHDRAWN,
        subject=proposal,
        payload={"number": proposal.number},
    )
    return proposal


def _earmark_problem(proposal: Proposal) -> str | None:
    stream = proposal.stream
    if stream is not None and stream.earmark and proposal.theme not in stream.earmark:
        return _(
            "%(stream)s may only be spent on %(themes)s; this proposal is about %(theme)s."
        ) % {
            "stream": stream.name,
            "themes": ", ".join(stream.get_earmark_display()).lower(),
            "theme": proposal.get_theme_display().lower(),
        }
    return None


def _sentence_start(text: str) -> str:
    """Text with a capital first letter and the rest as it was (a stream's own name kept)."""
    return text[:1].upper() + text[1:]


def _source_name(stream) -> str:
    return stream.name if stream is not None else _("the reinvestment reserve")


@transaction.atomic
def check_proposal(proposal, *, actor, eligible: bool, reason: str = "") -> Proposal:
    """The board decides whether a proposal can be voted on: its theme must fall within the
    stream's earmark and its amount within the money the source has left. A refusal always
    carries a written reason, which the proposer sees."""
    cooperative = _lock_cooperative(proposal.cooperative)
    proposal = _lock_proposal(proposal)
    _require(actor, cooperative, Role.BOARD)
    if proposal.status not in (ProposalStatus.SUBMITTED, ProposalStatus.REFUSED):
        raise DomainError(
            _("This proposal has already been checked: it is %(status)s.")
            % {"status": proposal.get_status_display().lower()}
        )
    if not isinstance(eligible, bool):
        raise DomainError(_("Say whether the proposal can be voted on."), field="eligible")
    reason = clean_text(reason, field="reason", limit=MAX_REASON)
    if eligible:
        problem = _earmark_problem(proposal)
        if problem:
            raise DomainError(problem, field="eligible", code="outside_earmark")
        left = money_left(cooperative, proposal.stream)
        if proposal.amount > left:
            raise DomainError(
                _("%(source)s has %(left)s left, and this proposal asks %(amount)s.")
                % {
                    "source": _sentence_start(_source_name(proposal.stream)),
                    "left": _euros(max(left, cents(0)), proposal.currency),
                    "amount": _euros(proposal.amount, proposal.currency),
                },
                field="eligible",
                code="not_enough_money",
            )
        proposal.status = ProposalStatus.ELIGIBLE
        proposal.refusal_reason = ""
    else:
        if not reason:
            raise DomainError(
                _("Write down why the proposal cannot be voted on: the proposer will read it."),
                field="reason",
            )
        proposal.status = ProposalStatus.REFUSED
        proposal.refusal_reason = reason
    _set_history(proposal, actor, "checked")
    proposal.save(update_fields=["status", "refusal_reason"])
    append_event(
        cooperative,
        actor=actor,
        action=PROPOSAL_CHECKED,
        subject=proposal,
        payload={"number": proposal.number, "eligible": eligible},
    )
    return proposal


# Opening a vote


def _clean_proposals(cooperative, proposals, kind, stream) -> list[Proposal]:
    proposals = list(proposals or [])
    if kind == VoteKind.BUDGET and len(proposals) < 2:
        raise DomainError(
            _("A participatory budget needs at least two proposals to choose from."),
            field="proposals",
        )
    if kind == VoteKind.YES_NO and len(proposals) > 1:
        raise DomainError(_("A yes/no vote is about one proposal at most."), field="proposals")
    pks = [getattr(p, "pk", None) for p in proposals]
    if len(set(pks)) != len(pks):
        raise DomainError(_("Each proposal can be in the vote only once."), field="proposals")
    locked = list(
        Proposal.objects.select_for_update(of=("self",))
        .select_related("stream")
        .filter(pk__in=[pk for pk in pks if pk is not None], cooperative=cooperative)
        .order_by("pk")
    )
    if len(locked) != len(proposals):
        raise DomainError(_("Choose proposals of this cooperative."), field="proposals")
    for proposal in locked:
        if proposal.status != ProposalStatus.ELIGIBLE:
            raise DomainError(
                _("Proposal %(number)s cannot be put to a vote: it is %(status)s.")
                % {"number": proposal.number, "status": proposal.get_status_display().lower()},
                field="proposals",
            )
        if proposal.stream_id != (stream.pk if stream else None):
            raise DomainError(
                _("Proposal %(number)s is paid from %(source)s, not from %(chosen)s.")
                % {
                    "number": proposal.number,
                    "source": _source_name(proposal.stream),
                    "chosen": _source_name(stream),
                },
                field="proposals",
            )
    return locked


@transaction.atomic
def open_vote(
    cooperative,
    *,
    actor,
    title: str,
    kind: str,
    electorate: str,
    weighting: str,
    opens_at,
    closes_at,
    description: str = "",
    proposals=(),
    rule: str = "",
    secrecy: str = Secrecy.SECRET,
    quorum: int = 0,
    threshold: str = "",
    stream=None,
    budget_limit=None,
) -> Vote:
    """The board puts a question or a set of proposals to the members. Who may vote and with
    how many votes is fixed now, as it stands today (the record date): later changes in
    membership or shares do not change this vote."""
    cooperative = _lock_cooperative(cooperative)
    membership = _require(actor, cooperative, Role.BOARD)
    title = clean_text(
        title, field="title", limit=MAX_QUESTION, required_message=_("Fill in the question.")
    )
    description = clean_text(description, field="description", limit=MAX_DESCRIPTION)
    if kind not in VoteKind.values:
        raise DomainError(_("Choose the kind of vote."), field="kind")
    if electorate not in Electorate.values:
        raise DomainError(_("Choose who may vote."), field="electorate")
    if weighting not in Weighting.values:
        raise DomainError(_("Choose how votes are weighed."), field="weighting")
    if secrecy not in Secrecy.values:
        raise DomainError(_("Choose a secret or an open vote."), field="secrecy")
    if isinstance(quorum, bool) or not isinstance(quorum, int) or not 0 <= quorum <= 100:
        raise DomainError(_("Fill in a quorum from 0 to 100 percent."), field="quorum")
    opens_at = _clean_moment(opens_at, field="opens_at")
    closes_at = _clean_moment(closes_at, field="closes_at")
    now = timezone.now()
    if closes_at <= now:
        raise DomainError(_("The closing time has already passed."), field="closes_at")
    if closes_at <= opens_at:
        raise DomainError(_("The vote must close after it opens."), field="closes_at")
    stream = _check_stream(cooperative, stream)
    proposals = _clean_proposals(cooperative, proposals, kind, stream)
    if kind == VoteKind.BUDGET:
        if rule not in Rule.values:
            raise DomainError(_("Choose how the budget is counted."), field="rule")
        threshold = ""
        budget_limit = _clean_amount(budget_limit, cooperative.currency, field="budget_limit")
        needed = budget_limit
    else:
        rule = ""
        if threshold not in Threshold.values:
            raise DomainError(_("Choose the majority needed."), field="threshold")
        if budget_limit not in (None, ""):
            raise DomainError(_("Only a participatory budget has a budget."), field="budget_limit")
        budget_limit = None
        needed = proposals[0].amount if proposals else cents(0)
    if needed:
        left = money_left(cooperative, stream)
        if needed > left:
            raise DomainError(
                _(
                    "%(source)s has %(left)s left that no other vote may spend: less than %(needed)s."
                )
                % {
                    "source": _sentence_start(_source_name(stream)),
                    "left": _euros(max(left, cents(0)), cooperative.currency),
                    "needed": _euros(needed, cooperative.currency),
                },
                field="budget_limit" if kind == VoteKind.BUDGET else "proposals",
                code="not_enough_money",
            )
    voters = frozen_electorate(cooperative, electorate, weighting, timezone.localdate())
    if not voters:
        raise DomainError(_("Nobody may vote with these settings."), field="electorate")
    vote = Vote(
        cooperative=cooperative,
        title=title,
        description=description,
        kind=kind,
        rule=rule,
        electorate=electorate,
        weighting=weighting,
        secrecy=secrecy,
        opens_at=opens_at,
        closes_at=closes_at,
        quorum=quorum,
        threshold=threshold,
        stream=stream,
        budget_limit=budget_limit,
        opened_at=now,
        opened_by=membership,
        electorate_size=len(voters),
        electorate_weight=sum(weight for _member, weight in voters),
    )
    _set_history(vote, actor, "opened")
    vote.save()
    vote.proposals.set(proposals)
    Voter.objects.bulk_create(
        [Voter(vote=vote, membership=member, weight=weight) for member, weight in voters]
    )
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(status=ProposalStatus.IN_VOTE)
    append_event(
        cooperative,
        actor=actor,
        action=VOTE_OPENED,
        subject=vote,
        payload={
            "title": title,
            "kind": kind,
            "rule": rule,
            "electorate": electorate,
            "weighting": weighting,
            "secrecy": secrecy,
            "opens_at": opens_at.isoformat(),
            "closes_at": closes_at.isoformat(),
            "quorum": quorum,
            "threshold": threshold,
            "source": stream.name if stream else None,
            "budget_limit": str(budget_limit) if budget_limit is not None else None,
            "proposals": sorted(p.number for p in proposals),
            "record_date": timezone.localdate().isoformat(),
            "voters": vote.electorate_size,
            "votes": vote.electorate_weight,
        },
    )
    return vote


# Ballots


@dataclass(frozen=True)
class Receipt:
    """What a voter keeps: the tracker to find their ballot in the published list, and the
    nonce that, with the ballot's content, hashes to it."""

    tracker: str
    nonce: str
    replaced: bool


def _seal(vote_id: int, voter_id: int) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"ballot-seal:{vote_id}:{voter_id}".encode(), hashlib.sha256).hexdigest()


def _lock_vote(vote) -> Vote:
    return (
        Vote.objects.select_for_update(of=("self",)).select_related("cooperative").get(pk=vote.pk)
    )


def _check_voting_time(vote: Vote) -> None:
    now = timezone.now()
    if vote.is_closed or now >= vote.closes_at:
        raise DomainError(_("This vote has closed: no more ballots can be cast."), code="closed")
    if now < vote.opens_at:
        raise DomainError(
            _("This vote opens on %(moment)s.")
            % {"moment": date_format(timezone.localtime(vote.opens_at), "DATETIME_FORMAT")},
            code="not_open",
        )


def _voter_of(vote: Vote, membership: Membership | None, *, lock=True) -> Voter:
    query = Voter.objects.filter(vote=vote, membership=membership)
    if lock:
        query = query.select_for_update(of=("self",))
    voter = query.select_related("membership").first() if membership is not None else None
    if voter is None:
        raise NotAllowed(
            _("You are not on the list of voters for this vote. It was fixed when the vote opened.")
        )
    return voter


def _clean_ballot(vote: Vote, choice, approvals) -> tuple[str, list[str]]:
    if vote.kind == VoteKind.YES_NO:
        if approvals:
            raise DomainError(_("This vote asks for yes, no or abstain."), field="choice")
        if choice not in YesNo.values:
            raise DomainError(_("Choose yes, no or abstain."), field="choice")
        return choice, []
    if choice:
        raise DomainError(_("Choose the projects you support."), field="approvals")
    if approvals is None:
        approvals = []
    if isinstance(approvals, str) or not isinstance(approvals, list | tuple | set | frozenset):
        raise DomainError(_("Choose the projects you support."), field="approvals")
    ids = []
    for item in approvals:
        if isinstance(item, Proposal):
            item = item.tally_id
        elif isinstance(item, int) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str):
            raise DomainError(_("Choose the projects you support."), field="approvals")
        ids.append(item.strip())
    costs = dict(vote.proposals.values_list("number", "amount"))
    costs = {str(number): cents(amount) for number, amount in costs.items()}
    unknown = sorted(set(ids) - set(costs))
    if unknown:
        raise DomainError(
            _("These projects are not in this vote: %(ids)s.") % {"ids": ", ".join(unknown)},
            field="approvals",
            code="unknown_projects",
        )
    if len(set(ids)) != len(ids):
        raise DomainError(_("Choose each project only once."), field="approvals")
    total = sum((costs[pid] for pid in ids), cents(0))
    if total > vote.budget_limit:
        raise DomainError(
            _(
                "Your choice costs %(total)s, more than the budget of %(limit)s. "
                "Leave out a project."
            )
            % {
                "total": _euros(total, vote.cooperative.currency),
                "limit": _euros(vote.budget_limit, vote.cooperative.currency),
            },
            field="approvals",
            code="over_budget",
        )
    return "", sorted(ids, key=lambda pid: (len(pid), pid))


def _store_ballot(vote, voter, choice, approvals, channel, place=None) -> Receipt:
    seal = _seal(vote.pk, voter.pk)
    RollCall.objects.filter(voter=voter).delete()
    BallotRecord.objects.filter(seal=seal).delete()
    nonce = secrets.token_hex(16)
    ballot = BallotRecord.objects.create(
        vote=vote,
        choice=choice,
        approvals=approvals,
        weight=voter.weight,
        channel=channel,
        place=place,
        nonce=nonce,
        tracker=tracker_for(vote.pk, choice, approvals, voter.weight, nonce),
        seal=seal,
    )
    if vote.secrecy == Secrecy.OPEN:
        RollCall.objects.create(voter=voter, ballot=ballot)
    replaced = voter.voted
    voter.voted = True
    voter.channel = channel
    voter.save(update_fields=["voted", "channel"])
    return Receipt(tracker=ballot.tracker, nonce=nonce, replaced=replaced)


@transaction.atomic
def cast_ballot(vote, *, actor, choice: str = "", approvals=None, for_member=None) -> Receipt:
    """A voter casts their ballot, or the ballot of a member whose proxy they hold
    (`for_member`). Voting again before the close replaces the earlier ballot. Returns the
    receipt; what was voted is never written next to who voted."""
    vote = _lock_vote(vote)
    cooperative = vote.cooperative
    membership = require_role(actor, cooperative)
    _check_voting_time(vote)
    own = _voter_of(vote, membership)
    channel = Channel.ONLINE
    voter = own
    if for_member is not None:
        target = for_member if isinstance(for_member, Membership) else None
        if target is None or target.cooperative_id != cooperative.pk:
            raise DomainError(_("Choose a member of this cooperative."), field="for_member")
        voter = _voter_of(vote, target)
        if voter.proxy_holder_id != own.pk:
            raise NotAllowed(_("You do not hold this member's proxy for this vote."))
        channel = Channel.PROXY
    elif own.proxy_holder_id is not None:
        raise DomainError(
            _(
                "You gave your proxy for this vote. Take it back first if you want to vote yourself."
            ),
            code="proxy_given",
        )
    choice, approvals = _clean_ballot(vote, choice, approvals)
    receipt = _store_ballot(vote, voter, choice, approvals, channel)
    payload = {"member_number": voter.membership.member_number, "channel": channel}
    if receipt.replaced:
        payload["replaced"] = True
    append_event(
        cooperative,
        actor=actor,
        action=BALLOT_CAST,
        subject=vote,
        payload=payload,
    )
    return receipt


@transaction.atomic
def enter_paper_ballot(vote, *, actor, member, place, choice: str = "", approvals=None) -> Receipt:
    """A coordinator enters a ballot a member filled in on paper at a place, after checking who
    they are. It counts like any other and is marked as cast on paper; a member who has voted
    already (online, on paper or through a proxy) cannot be entered again."""
    vote = _lock_vote(vote)
    cooperative = vote.cooperative
    _require(actor, cooperative, Role.COORDINATOR, Role.BOARD)
    _check_voting_time(vote)
    if not isinstance(member, Membership) or member.cooperative_id != cooperative.pk:
        raise DomainError(_("Choose a member of this cooperative."), field="member")
    place = _check_own(
        cooperative,
        place,
        Place,
        field="place",
        message=_("Choose the place where the ballot was filled in."),
    )
    try:
        voter = _voter_of(vote, member)
    except NotAllowed:
        raise DomainError(
            _("Member %(number)s is not on the list of voters for this vote.")
            % {"number": member.member_number},
            field="member",
        ) from None
    if voter.voted:
        raise DomainError(
            _("Member %(number)s has already voted; a paper ballot cannot be added.")
            % {"number": member.member_number},
            field="member",
            code="already_voted",
        )
    if voter.proxy_holder_id is not None:
        raise DomainError(
            _("Member %(number)s gave a proxy for this vote.") % {"number": member.member_number},
            field="member",
        )
    choice, approvals = _clean_ballot(vote, choice, approvals)
    receipt = _store_ballot(vote, voter, choice, approvals, Channel.PAPER, place=place)
    append_event(
        cooperative,
        actor=actor,
        action=PAPER_BALLOT_ENTERED,
        subject=vote,
        payload={"member_number": member.member_number, "place": place.name},
    )
    return receipt


# Proxies


@transaction.atomic
def give_proxy(vote, *, actor, to) -> Voter:
    """A voter lets another voter vote for them in this one vote. A proxy cannot be passed on
    (no chains), given to oneself, given after voting, or added to someone who holds the most
    proxies the rules allow."""
    vote = _lock_vote(vote)
    cooperative = vote.cooperative
    membership = require_role(actor, cooperative)
    _check_voting_time(vote)
    giver = _voter_of(vote, membership, lock=False)
    if not isinstance(to, Membership) or to.cooperative_id != cooperative.pk:
        raise DomainError(_("Choose a member of this cooperative."), field="to")
    if to.pk == membership.pk:
        raise DomainError(_("You cannot give your proxy to yourself."), field="to", code="self")
    try:
        holder = _voter_of(vote, to, lock=False)
    except NotAllowed:
        raise DomainError(
            _("Member %(number)s may not vote in this vote, so cannot hold a proxy.")
            % {"number": to.member_number},
            field="to",
        ) from None
    giver, holder = _lock_voters(giver, holder)
    if giver.voted:
        raise DomainError(
            _("You have already voted. A proxy can only be given before voting."), code="voted"
        )
    if giver.proxy_holder_id is not None:
        raise DomainError(
            _("You have already given your proxy. Take it back first."), code="proxy_given"
        )
    if giver.proxies_held.exists():
        raise DomainError(
            _("Others have given you their proxy, so you cannot pass your vote on."),
            field="to",
            code="chain",
        )
    if holder.proxy_holder_id is not None:
        raise DomainError(
            _("Member %(number)s has given their own proxy away, so cannot hold yours.")
            % {"number": to.member_number},
            field="to",
            code="chain",
        )
    if holder.proxies_held.count() >= MAX_PROXIES_PER_HOLDER:
        raise DomainError(
            _("Member %(number)s already holds %(count)s proxies, the most allowed.")
            % {"number": to.member_number, "count": MAX_PROXIES_PER_HOLDER},
            field="to",
        )
    giver.proxy_holder = holder
    giver.save(update_fields=["proxy_holder"])
    append_event(
        cooperative,
        actor=actor,
        action=PROXY_GIVEN,
        subject=vote,
        payload={"from": membership.member_number, "to": to.member_number},
    )
    return giver


def _lock_voters(*voters: Voter) -> list[Voter]:
    locked = {
        voter.pk: voter
        for voter in Voter.objects.select_for_update(of=("self",))
        .select_related("membership")
        .filter(pk__in=[v.pk for v in voters])
        .order_by("pk")
    }
    return [locked[voter.pk] for voter in voters]


@transaction.atomic
def withdraw_proxy(vote, *, actor) -> Voter:
    """The giver takes their proxy back, until the vote closes. A ballot the holder already cast
    for them stays until they vote themselves, which replaces it."""
    vote = _lock_vote(vote)
    cooperative = vote.cooperative
    membership = require_role(actor, cooperative)
    _check_voting_time(vote)
    giver = _voter_of(vote, membership)
    if giver.proxy_holder_id is None:
        raise DomainError(_("You have not given a proxy for this vote."))
    holder_number = (
        Voter.objects.filter(pk=giver.proxy_holder_id)
        .values_list("membership__member_number", flat=True)
        .get()
    )
    giver.proxy_holder = None
    giver.save(update_fields=["proxy_holder"])
    append_event(
        cooperative,
        actor=actor,
        action=PROXY_WITHDRAWN,
        subject=vote,
        payload={"from": membership.member_number, "to": holder_number},
    )
    return giver


# Closing a vote


def _budget_code(proposal: Proposal) -> str:
    return f"21{proposal.number:04d}"


@transaction.atomic
def close_vote(vote, *, actor) -> Vote:
    """The board closes a vote after its closing time. The ballots are counted with the vote's
    rule; the decision (tally, winners, turnout) enters the audit chain; each adopted proposal
    gets a budget account, and its money moves from the source to that budget in one booking.
    The seals linking ballots to voters are wiped, so from now on nobody can tell whose ballot
    is whose."""
    cooperative = _lock_cooperative(vote.cooperative)
    vote = _lock_vote(vote)
    membership = _require(actor, cooperative, Role.BOARD)
    if vote.is_closed:
        raise DomainError(_("This vote has already been closed."), code="already_closed")
    now = timezone.now()
    if now < vote.closes_at:
        raise DomainError(
            _("This vote is open until %(moment)s: close it after that.")
            % {"moment": date_format(timezone.localtime(vote.closes_at), "DATETIME_FORMAT")},
            code="still_open",
        )
    proposals = list(vote.proposals.select_for_update(of=("self",)).order_by("number"))
    voters = Voter.objects.filter(vote=vote)
    turnout = {
        "voters": vote.electorate_size,
        "votes": vote.electorate_weight,
        "voted": voters.filter(voted=True).count(),
        "votes_cast": voters.filter(voted=True).aggregate(t=Sum("weight"))["t"] or 0,
        "paper": voters.filter(channel=Channel.PAPER).count(),
        "proxy": voters.filter(channel=Channel.PROXY).count(),
    }
    ballots = BallotRecord.objects.filter(vote=vote)
    if vote.kind == VoteKind.YES_NO:
        data = tally_yes_no(vote, ballots.values_list("choice", "weight"))
        adopted = proposals if data["outcome"] == Outcome.ADOPTED else []
    else:
        data, _result = tally_budget(vote, proposals, ballots.values_list("approvals", "weight"))
        winners = set(data["winners"])
        adopted = [p for p in proposals if p.tally_id in winners]
    data["turnout"] = turnout
    data["rule"] = vote.rule
    data["adopted"] = [p.number for p in adopted]
    adopted_ids = {p.pk for p in adopted}
    for proposal in proposals:
        proposal.status = (
            ProposalStatus.ADOPTED if proposal.pk in adopted_ids else ProposalStatus.NOT_ADOPTED
        )
        _set_history(proposal, actor, "decided")
        proposal.save(update_fields=["status"])
    vote.closed_at = now
    vote.closed_by = membership
    vote.outcome = data["outcome"]
    vote.tally = data
    _set_history(vote, actor, "closed")
    vote.save(update_fields=["closed_at", "closed_by", "outcome", "tally"])
    BallotRecord.objects.filter(vote=vote).update(seal=None)
    payload = {
        "title": vote.title,
        "kind": vote.kind,
        "rule": vote.rule,
        "outcome": data["outcome"],
        "adopted": data["adopted"],
        "turnout": turnout,
        "totals": data.get("totals") or data.get("approvals"),
    }
    if not adopted:
        append_event(cooperative, actor=actor, action=VOTE_CLOSED, subject=vote, payload=payload)
        return vote
    _allocate(cooperative, vote, adopted, actor=actor, payload=payload)
    return vote


def _decision_day(cooperative, vote: Vote) -> datetime.date:
    """The day a vote's decision moves its money: the day the vote closed, as the residents
    decided then, even when the board counts it days later; so the books show the money in the
    projects' budgets from the moment it was theirs. When that day lies in a closed period of the
    books (the board counted only after the treasurer closed the month or the year), the ledger
    takes nothing on that day any more, and the money moves today."""
    day = timezone.localdate(vote.closes_at)
    closed_until = cooperative.period_closes.aggregate(until=Max("until"))["until"]
    if closed_until is not None and day <= closed_until:
        return timezone.localdate()
    return day


def _allocate(cooperative, vote: Vote, adopted: list[Proposal], *, actor, payload) -> None:
    source = source_account(cooperative, vote.stream)
    needed = sum((cents(p.amount) for p in adopted), cents(0))
    left = credit_balance(source)
    if needed > left:
        raise DomainError(
            _(
                "%(source)s has %(left)s, and the adopted proposals need %(needed)s. "
                "Record the money received first, then close the vote."
            )
            % {
                "source": _sentence_start(_source_name(vote.stream)),
                "left": _euros(max(left, cents(0)), cooperative.currency),
                "needed": _euros(needed, cooperative.currency),
            },
            code="not_enough_money",
        )
    accounts = open_accounts_within(
        cooperative,
        [
            {
                "code": _budget_code(p),
                "name": _("Budget: %(title)s") % {"title": p.title},
                "type": AccountType.LIABILITY,
                "purpose": Purpose.PROJECT_BUDGET,
                "stands_for": p,
            }
            for p in adopted
        ],
    )
    for proposal, account in zip(adopted, accounts, strict=True):
        proposal.budget_account = account
        proposal.save(update_fields=["budget_account"])
    lines = [debit(source, Money(needed, cooperative.currency))]
    lines += [
        credit(account, Money(cents(p.amount), cooperative.currency))
        for p, account in zip(adopted, accounts, strict=True)
    ]
    payload["allocations"] = {
        str(p.number): {"account": account.code, "amount": str(cents(p.amount))}
        for p, account in zip(adopted, accounts, strict=True)
    }
    post_transaction(
        cooperative,
        actor=actor,
        booking_date=_decision_day(cooperative, vote),
        description=_("Decided by vote: %(title)s") % {"title": vote.title},
        lines=lines,
        cause=vote,
        action=VOTE_CLOSED,
        details=payload,
    )


# Agreements


@transaction.atomic
def add_agreement(proposal, *, actor, what: str, responsible, due_on) -> Agreement:
    """The board or a coordinator writes down who does what by when for an adopted proposal."""
    proposal = _lock_proposal(proposal)
    cooperative = proposal.cooperative
    _require(actor, cooperative, Role.BOARD, Role.COORDINATOR)
    if proposal.status != ProposalStatus.ADOPTED:
        raise DomainError(_("Agreements are made for adopted proposals only."))
    what = clean_text(
        what, field="what", limit=MAX_WHAT, required_message=_("Say what is to be done.")
    )
    if (
        not isinstance(responsible, Membership)
        or responsible.cooperative_id != cooperative.pk
        or responsible.status != MembershipStatus.ACTIVE
    ):
        raise DomainError(_("Choose an active member of this cooperative."), field="responsible")
    due_on = _clean_date(due_on, field="due_on")
    if due_on < timezone.localdate():
        raise DomainError(_("The date has already passed."), field="due_on")
    agreement = Agreement(proposal=proposal, what=what, responsible=responsible, due_on=due_on)
    _set_history(agreement, actor, "made")
    agreement.save()
    append_event(
        cooperative,
        actor=actor,
        action=AGREEMENT_MADE,
        subject=agreement,
        payload={
            "proposal": proposal.number,
            "what": what,
            "responsible": responsible.member_number,
            "due_on": due_on.isoformat(),
        },
    )
    return agreement


@transaction.atomic
def complete_agreement(agreement, *, actor) -> Agreement:
    """The person responsible, a coordinator or the board marks an agreement as done."""
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("proposal__cooperative", "responsible")
        .get(pk=agreement.pk)
    )
    cooperative = agreement.proposal.cooperative
    membership = _require(actor, cooperative)
    if membership is not None and membership.pk != agreement.responsible_id:
        require_role(actor, cooperative, Role.BOARD, Role.COORDINATOR)
    if agreement.done_on is not None:
        raise DomainError(_("This agreement is already done."))
    agreement.done_on = timezone.localdate()
    _set_history(agreement, actor, "done")
    agreement.save(update_fields=["done_on"])
    append_event(
        cooperative,
        actor=actor,
        action=AGREEMENT_DONE,
        subject=agreement,
        payload={"proposal": agreement.proposal.number, "done_on": agreement.done_on.isoformat()},
    )
    return agreement


# The year's result


@transaction.atomic
def close_year(cooperative, *, actor, year: int) -> YearClose:
    """The treasurer closes a financial year that has ended: every income and expense account's
    movement over the year is booked out, and the difference, the result, goes to the
    reinvestment reserve, which members then decide on like any funding stream. Afterwards the
    treasurer closes the period in the ledger, so nothing more is booked into that year."""
    cooperative = _lock_cooperative(cooperative)
    _require(actor, cooperative, Role.TREASURER)
    if isinstance(year, bool) or not isinstance(year, int):
        raise DomainError(_("Fill in a year."), field="year")
    last_day = datetime.date(year, 12, 31) if 1900 < year < 3000 else None
    if last_day is None or last_day >= timezone.localdate():
        raise DomainError(_("Only a year that has ended can be closed."), field="year")
    if YearClose.objects.filter(cooperative=cooperative, year=year).exists():
        raise DomainError(
            _("The year %(year)s has already been closed.") % {"year": year}, field="year"
        )
    movements = (
        Posting.objects.filter(
            account__cooperative=cooperative,
            account__type__in=(AccountType.INCOME, AccountType.EXPENSE),
            booking_date__year=year,
        )
        .values("account_id")
        .annotate(total=Sum("amount"))
    )
    moved = {row["account_id"]: cents(row["total"]) for row in movements if cents(row["total"])}
    # Income is a credit (negative), costs a debit: the result is what is left of the income.
    result = -sum(moved.values(), cents(0))
    record = YearClose(
        cooperative=cooperative, year=year, result=result, currency=cooperative.currency
    )
    record.save()
    details = {"year": year, "result": str(result)}
    if not moved:
        append_event(
            cooperative,
            actor=actor,
            action=YEAR_CLOSED,
            subject=record,
            payload=details | {"currency": cooperative.currency},
        )
        return record
    accounts = Account.objects.in_bulk(list(moved))
    currency = cooperative.currency
    lines = [(accounts[pk], Money(-amount, currency)) for pk, amount in moved.items()]
    if result:
        lines.append((reinvestment_reserve(cooperative), Money(-result, currency)))
    post_transaction(
        cooperative,
        actor=actor,
        booking_date=last_day,
        description=_("Result of %(year)s to the reinvestment reserve") % {"year": year},
        lines=lines,
        cause=record,
        action=YEAR_CLOSED,
        details=details,
    )
    return record


# Bank statements

BANK_ACCOUNT_ADDED = "bank.account_added"
STATEMENT_IMPORTED = "bank.statement_imported"
CSV_MAPPING_SAVED = "bank.csv_mapping_saved"
_CENT = Decimal("0.01")
# An MT940 statement starts with its reference field; a bank's envelope may come before it.
_MT940_START = re.compile(rb"(^|[\r\n]):20:")


def _statement_format(data: bytes) -> str:
    """The format of a file by what it holds, not by its name: XML is CAMT.053, a file with an
    MT940 reference field is MT940, anything else is taken for a bank's CSV export."""
    try:
        statement_model.check_size(data)
        if not data.strip():
            raise statement_model.StatementError(statement_model.gettext_noop("The file is empty."))
    except statement_model.StatementError as error:
        raise DomainError(error.text(_), field="file", code="unreadable") from None
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return StatementFormat.CAMT053
    if _MT940_START.search(data[:65536]):
        return StatementFormat.MT940
    return StatementFormat.CSV


def _read_statements(data: bytes) -> tuple[str, list]:
    """The format of a CAMT.053 or MT940 file and the statements in it, or a DomainError saying
    why not. A CSV file is refused here: it is read for the bank account it comes from."""
    file_format = _statement_format(data)
    try:
        if file_format == StatementFormat.CAMT053:
            return file_format, camt053.parse(data)
        if file_format == StatementFormat.MT940:
            return file_format, mt940.parse(data)
    except statement_model.StatementError as error:
        raise DomainError(error.text(_), field="file", code="unreadable") from None
    if csvfile.looks_like_csv(data):
        raise DomainError(
            _("This is a CSV file. Choose the bank account it comes from."),
            field="bank_account",
            code="needs_bank_account",
        )
    raise DomainError(
        _(
            "This file is not a bank statement we can read. Download the statement from your "
            "bank as CAMT.053 (XML), MT940 or CSV."
        ),
        field="file",
        code="unreadable",
    )


def _fingerprints(entries) -> list[str]:
    """A SHA-256 per entry over the fields that identify it, and how many identical entries came
    before it in the statement, so two equal payments on one day are two lines."""
    seen: dict[str, int] = {}
    result = []
    # A year of lines falls on a few hundred days: each day is written out once.
    days: dict = {None: ""}
    for entry in entries:
        booked, valued = entry.booking_date, entry.value_date
        if booked not in days:
            days[booked] = booked.isoformat()
        if valued not in days:
            days[valued] = valued.isoformat()
        key = "\x1f".join(
            (
                days[booked],
                days[valued],
                str(entry.amount.quantize(_CENT)),
                entry.currency,
                entry.counterparty_iban,
                entry.counterparty_name,
                entry.remittance,
                entry.end_to_end_id,
                entry.bank_reference,
                "R" if entry.reversal else "",
            )
        )
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        result.append(hashlib.sha256(f"{key}\x1e{occurrence}".encode()).hexdigest())
    return result


def _bank_account_for(cooperative, statements) -> BankAccount:
    ibans = list(dict.fromkeys(iban_numbers.compact(s.account_iban) for s in statements))
    if len(ibans) > 1:
        raise DomainError(
            _(
                "This file holds statements of more than one account (%(ibans)s). Import the "
                "statements of each account in a file of their own."
            )
            % {"ibans": ", ".join(ibans)},
            field="file",
        )
    account = (
        BankAccount.objects.select_for_update()
        .select_related("ledger_account")
        .filter(cooperative=cooperative, iban=ibans[0])
        .first()
    )
    if account is None:
        raise DomainError(
            _(
                "This is a file for another IBAN: %(iban)s is not one of the bank accounts of "
                "%(name)s."
            )
            % {"iban": ibans[0], "name": cooperative.name},
            field="file",
            code="other_iban",
        )
    return account


def _previous(account, pending, statement):
    """The last statement of the account, stored or earlier in this file, that closed on or
    before the day this one opens."""
    stored = (
        BankStatement.objects.filter(bank_account=account, closing_date__lte=statement.opening_date)
        .order_by("-closing_date", "-pk")
        .first()
    )
    earlier = [s for s in pending if s.closing_date <= statement.opening_date]
    candidates = [s for s in (stored, earlier[-1] if earlier else None) if s is not None]
    return max(candidates, key=lambda s: s.closing_date, default=None)


def _check_follows_on(account, previous, statement, currency) -> None:
    if previous is None or previous.closing_balance == statement.opening_balance:
        return
    raise DomainError(
        _(
            "Statement %(statement)s opens with %(opening)s on %(opening_date)s, but the statement "
            "before it (%(previous)s) closed with %(closing)s on %(closing_date)s. A statement is "
            "missing in between, or the numbers differ: import the missing statement first."
        )
        % {
            "statement": statement.statement_id,
            "opening": _euros(statement.opening_balance, currency),
            "opening_date": date_format(statement.opening_date),
            "previous": previous.statement_id,
            "closing": _euros(previous.closing_balance, currency),
            "closing_date": date_format(previous.closing_date),
        },
        field="file",
        code="gap",
    )


def _check_lines(statement, currency) -> None:
    if statement.currency != currency:
        raise DomainError(
            _(
                "Statement %(statement)s is in %(found)s; this cooperative keeps its books in %(currency)s."
            )
            % {
                "statement": statement.statement_id,
                "found": statement.currency,
                "currency": currency,
            },
            field="file",
        )
    for entry in statement.entries:
        if entry.amount != entry.amount.quantize(_CENT) or entry.currency != currency:
            raise DomainError(
                _(
                    "Statement %(statement)s has a line of %(amount)s %(found)s on %(date)s, which cannot be booked in %(currency)s."
                )
                % {
                    "statement": statement.statement_id,
                    "amount": entry.amount,
                    "found": entry.currency,
                    "date": date_format(entry.booking_date),
                    "currency": currency,
                },
                field="file",
            )


@transaction.atomic
def add_bank_account(cooperative, *, actor, iban: str, name: str) -> BankAccount:
    """The treasurer or the board adds a bank account of the cooperative, so its statements can
    be imported. Its money is booked on the cooperative's bank account in the ledger."""
    cooperative = _lock_cooperative(cooperative)
    _require(actor, cooperative, Role.TREASURER, Role.BOARD)
    name = clean_text(name, field="name", limit=100, required_message=_("Fill in a name."))
    try:
        number = iban_numbers.validate(iban if isinstance(iban, str) else "")
    except stdnum_exceptions.ValidationError:
        raise DomainError(
            _("This is not a valid IBAN. Check the number, for example NL91 ABNA 0417 1643 00."),
            field="iban",
        ) from None
    if BankAccount.objects.filter(cooperative=cooperative, iban=number).exists():
        raise DomainError(_("This bank account has already been added."), field="iban")
    ledger = (
        Account.objects.filter(cooperative=cooperative, purpose=Purpose.BANK)
        .order_by("code")
        .first()
    )
    account = BankAccount(cooperative=cooperative, iban=number, name=name, ledger_account=ledger)
    _set_history(account, actor, "added")
    account.save()
    append_event(
        cooperative,
        actor=actor,
        action=BANK_ACCOUNT_ADDED,
        subject=account,
        # The cooperative's own account number, which it publishes for payments: not a
        # person's IBAN, which the chain refuses under the key "iban".
        payload={"account_iban": number, "name": name, "ledger_account": ledger.code},
    )
    return account


@transaction.atomic
def save_csv_mapping(bank_account, *, actor, mapping) -> BankAccount:
    """The treasurer saves which columns of the bank's CSV export hold which values (see
    budgets.statements.csvfile.Mapping), once per bank account, so its CSV files can be
    imported without asking again. The mapping is checked whole and stored as plain JSON."""
    from budgets.statements import csvfile

    bank_account = (
        BankAccount.objects.select_for_update()
        .select_related("cooperative")
        .get(pk=bank_account.pk)
    )
    cooperative = bank_account.cooperative
    _require(actor, cooperative, Role.TREASURER)
    try:
        stored = csvfile.as_json(csvfile.mapping_from_json(mapping))
    except statement_model.StatementError as error:
        raise DomainError(error.text(_), field="mapping", code="bad_mapping") from None
    bank_account.csv_mapping = stored
    _set_history(bank_account, actor, "CSV columns saved")
    bank_account.save(update_fields=["csv_mapping"])
    append_event(
        cooperative,
        actor=actor,
        action=CSV_MAPPING_SAVED,
        subject=bank_account,
        # The cooperative's own account number (see add_bank_account) and the column names.
        payload={"account_iban": bank_account.iban, "mapping": stored},
    )
    return bank_account


def import_statement(
    cooperative,
    *,
    actor,
    data: bytes,
    file_name: str,
    bank_account=None,
    closing_balance=None,
    progress=None,
) -> StatementImport:
    """The treasurer imports a bank statement file (CAMT.053, MT940 or CSV), whole or not at all.

    The format is told by the content. A CSV export is imported for the `bank_account` it was
    downloaded for, read with the column mapping saved on that account (`save_csv_mapping`). It
    is one statement from its first to its last line. Its balances come from its balance-after
    column when the mapping names one; otherwise the treasurer gives `closing_balance`, the
    balance the bank shows after the last line, and the opening balance is that less the lines.
    Either way the opening balance must follow on from the statement before it, as for the other
    formats (ADR 0050). A CAMT.053 or MT940 file names its own account; when `bank_account` is
    given as well, the file must be for that account.

    The file is read before the transaction, so the account's lock is held only for checking and
    storing. Under that lock: the same file is refused the second time; a statement whose lines
    are all stored already is skipped; of a statement that overlaps what is stored only the new
    lines are stored; and each statement's opening balance must follow on from the closing
    balance of the statement before it. Nothing is booked in the ledger yet: a line is booked when
    it is matched to what it pays.

    `progress`, when given, is called as `progress(stage, done, total)`: once with "read" and the
    number of lines read, then with "stored" as the new lines are written (the shell command
    draws its progress bar with it)."""
    membership = _require(actor, cooperative, Role.TREASURER)
    if not isinstance(data, bytes):
        raise DomainError(_("Choose a file to import."), field="file")
    file_name = clean_text(file_name, field="file", limit=255) or "statement"
    sha256 = hashlib.sha256(data).hexdigest()
    if bank_account is None:
        file_format, statements = _read_statements(data)
    else:
        if (
            not isinstance(bank_account, BankAccount)
            or bank_account.cooperative_id != cooperative.pk
        ):
            raise DomainError(
                _("Choose one of this cooperative's bank accounts."), field="bank_account"
            )
        file_format = _statement_format(data)
        if file_format == StatementFormat.CSV:
            saved = BankAccount.objects.get(pk=bank_account.pk).csv_mapping
            if not saved:
                raise DomainError(
                    _(
                        "No CSV columns are saved for this bank account yet. Say first which "
                        "column holds what; then import the file."
                    ),
                    field="file",
                    code="no_mapping",
                )
            statements = _read_csv(
                data,
                mapping=saved,
                iban=bank_account.iban,
                currency=cooperative.currency,
                closing_balance=closing_balance,
            )
        else:
            file_format, statements = _read_statements(data)
            _check_chosen_account(bank_account, statements)
    if progress is not None:
        read = sum(len(statement.entries) for statement in statements)
        progress("read", read, read)
    with transaction.atomic():
        return _store_statements(
            cooperative,
            actor,
            membership,
            statements,
            file_format=file_format,
            file_name=file_name,
            sha256=sha256,
            progress=progress,
        )


def _check_chosen_account(bank_account, statements) -> None:
    for statement in statements:
        found = iban_numbers.compact(statement.account_iban)
        if found != bank_account.iban:
            raise DomainError(
                _("This file is for account %(found)s, not for %(account)s.")
                % {"found": found, "account": bank_account.iban},
                field="bank_account",
                code="other_iban",
            )


def _clean_balance(value) -> Decimal:
    """A balance typed by the treasurer: euros and cents, negative when the account is
    overdrawn, "1250,00" and "1250.00" alike."""
    invalid = DomainError(
        _("Fill in the balance in euros and cents, such as 1250.00 or -30.50."),
        field="closing_balance",
    )
    if isinstance(value, bool | float):
        raise invalid
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise invalid from None
    if isinstance(value, int):
        value = Decimal(value)
    if (
        not isinstance(value, Decimal)
        or not value.is_finite()
        or abs(value) > MAX_AMOUNT
        or value != round(value, 2)
    ):
        raise invalid
    return value.quantize(_CENT)


def _read_csv(data: bytes, *, mapping: dict, iban: str, currency: str, closing_balance) -> list:
    """The one statement of a CSV export of account `iban`, read with `mapping` (as a bank
    account keeps it), with its balances from `closing_balance` or the file's balance column."""
    try:
        mapping = csvfile.mapping_from_json(mapping)
    except statement_model.StatementError as error:
        raise DomainError(error.text(_), field="file", code="bad_mapping") from None
    closing = None if closing_balance in (None, "") else _clean_balance(closing_balance)
    if closing is None and mapping.balance_after is None:
        raise DomainError(
            _(
                "A CSV file has no balances: fill in the balance your bank shows after the last "
                "line of the file."
            ),
            field="closing_balance",
        )
    try:
        (statement,) = csvfile.parse(
            data,
            mapping,
            account_iban=iban,
            currency=currency,
            opening_balance=Decimal(0) if mapping.balance_after is None else None,
        )
    except statement_model.StatementError as error:
        raise DomainError(error.text(_), field="file", code="unreadable") from None
    if closing is None:
        return [statement]
    if mapping.balance_after is not None and closing != statement.closing_balance:
        raise DomainError(
            _("The file ends with a balance of %(found)s, not the %(given)s you filled in.")
            % {
                "found": _euros(statement.closing_balance, currency),
                "given": _euros(closing, currency),
            },
            field="closing_balance",
        )
    moved = statement.closing_balance - statement.opening_balance
    if abs(closing - moved) > MAX_AMOUNT:
        raise DomainError(
            _("Fill in the balance in euros and cents, such as 1250.00 or -30.50."),
            field="closing_balance",
        )
    return [
        dataclasses.replace(statement, opening_balance=closing - moved, closing_balance=closing)
    ]


def _store_statements(
    cooperative, actor, membership, statements, *, file_format, file_name, sha256, progress=None
):
    account = _bank_account_for(cooperative, statements)
    currency = cooperative.currency
    if StatementImport.objects.filter(cooperative=cooperative, file_sha256=sha256).exists():
        raise DomainError(
            _("This file has already been imported."), field="file", code="already_imported"
        )
    dates = [e.booking_date for s in statements for e in s.entries]
    stored = set()
    if dates:
        stored = set(
            BankLine.objects.filter(
                bank_account=account, booking_date__gte=min(dates), booking_date__lte=max(dates)
            ).values_list("fingerprint", flat=True)
        )
    record = StatementImport(
        cooperative=cooperative,
        bank_account=account,
        file_name=file_name,
        file_sha256=sha256,
        format=file_format,
        imported_by=membership,
    )
    pending, new_lines, known, skipped = [], [], 0, 0
    for statement in statements:
        _check_lines(statement, currency)
        prints = _fingerprints(statement.entries)
        already = sum(1 for p in prints if p in stored)
        if already == len(prints) and (statement.entries or _stored_empty(account, statement)):
            known += already
            skipped += 1
            continue
        _check_follows_on(account, _previous(account, pending, statement), statement, currency)
        row = BankStatement(
            bank_account=account,
            statement_id=statement.statement_id[:200],
            opening_balance=statement.opening_balance,
            opening_date=statement.opening_date,
            closing_balance=statement.closing_balance,
            closing_date=statement.closing_date,
        )
        pending.append(row)
        known += already
        for entry, fingerprint in zip(statement.entries, prints, strict=True):
            if fingerprint in stored:
                continue
            stored.add(fingerprint)
            new_lines.append((row, entry, fingerprint))
    record.line_count = len(new_lines)
    record.save()
    for row in pending:
        row.statement_import = record
    BankStatement.objects.bulk_create(pending)
    _insert_lines(account, new_lines, progress=progress)
    append_event(
        cooperative,
        actor=actor,
        action=STATEMENT_IMPORTED,
        subject=record,
        payload={
            "account_iban": account.iban,
            "file_sha256": sha256,
            "format": file_format,
            "statements": len(pending),
            "statements_already_imported": skipped,
            "lines_new": len(new_lines),
            "lines_already_imported": known,
        },
    )
    return record


_LINE_COLUMNS = (
    "bank_account_id",
    "statement_id",
    "booking_date",
    "value_date",
    "amount",
    "currency",
    "counterparty_name",
    "counterparty_iban",
    "remittance",
    "end_to_end_id",
    "bank_reference",
    "reversal",
    "fingerprint",
    "status",
)


# How many lines are written between two calls of an import's progress callback.
_PROGRESS_EVERY = 5000


def _insert_lines(account, lines: list[tuple], *, progress=None) -> None:
    """Insert the new lines of `account`, given as (statement row, entry, fingerprint), without
    a model instance or SQL per value, as bulk_create makes, which for a year of a busy account
    was most of the import: on PostgreSQL with COPY, elsewhere with one prepared INSERT run over
    all rows."""
    ops = connection.ops
    table = ops.quote_name(BankLine._meta.db_table)
    names = ", ".join(ops.quote_name(name) for name in _LINE_COLUMNS)
    status = BankLine._meta.get_field("status").get_default()
    rows = (
        (
            account.pk,
            statement.pk,
            entry.booking_date,
            entry.value_date,
            entry.amount,
            entry.currency,
            entry.counterparty_name,
            entry.counterparty_iban[:70],
            entry.remittance,
            entry.end_to_end_id[:140],
            entry.bank_reference[:140],
            entry.reversal,
            fingerprint,
            status,
        )
        for statement, entry, fingerprint in lines
    )
    total = len(lines)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for done, row in enumerate(rows, start=1):
                    copy.write_row(row)
                    if progress is not None and done % _PROGRESS_EVERY == 0:
                        progress("stored", done, total)
        else:
            marks = ", ".join(["%s"] * len(_LINE_COLUMNS))
            rows = [
                (*row[:2], row[2].isoformat(), row[3] and row[3].isoformat(), str(row[4]), *row[5:])
                for row in rows
            ]
            for start in range(0, total, _PROGRESS_EVERY):
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                    rows[start : start + _PROGRESS_EVERY],
                )
                if progress is not None and start + _PROGRESS_EVERY < total:
                    progress("stored", start + _PROGRESS_EVERY, total)
    if progress is not None:
        progress("stored", total, total)


def _stored_empty(account, statement) -> bool:
    """A statement without lines counts as imported when one with its dates and balances is."""
    return BankStatement.objects.filter(
        bank_account=account,
        opening_date=statement.opening_date,
        closing_date=statement.closing_date,
        opening_balance=statement.opening_balance,
        closing_balance=statement.closing_balance,
    ).exists()


# Matching and booking bank lines
#
# Events: a line booked for a share subscription is booked by `record_subscription_payment`
# (by `record_subscription_payments`, all of a matching run's sure lines together, after its
# other bookings), whose `shares.subscription_paid` event is that booking's one event (the
# ledger transaction names the subscription as its cause; the line points at the
# transaction). A line from a funder's account is booked as money received for the stream (`budget.stream_received`, with
# the line as cause). A line booked to an account has its own `bank.line_booked` event, with the
# line as cause. `match_bank_lines`
# appends one `bank.lines_matched` event after the bookings it made, saying which line was
# booked as which transaction and how many lines wait with a suggestion.

LINES_MATCHED = "bank.lines_matched"
LINE_BOOKED = "bank.line_booked"
LINE_LINKED = "bank.line_linked"
SUBSCRIPTION = "subscription"
STREAM = "stream"


def _lock_line(line) -> BankLine:
    return (
        BankLine.objects.select_for_update()
        .select_related("bank_account__cooperative", "bank_account__ledger_account")
        .get(pk=line.pk)
    )


def _line_to_book(line, actor) -> BankLine:
    """The line locked, for the treasurer to book: refused when it is booked already."""
    line = _lock_line(line)
    _require(actor, line.bank_account.cooperative, Role.TREASURER)
    _check_not_booked(line)
    return line


def _check_not_booked(line: BankLine) -> None:
    if line.status == BankLineStatus.BOOKED:
        raise DomainError(_("This bank line has already been booked."), code="already_booked")


class _OpenSubscription(NamedTuple):
    pk: int
    amount: Decimal
    currency: str
    payment_reference: str


def _open_subscriptions(cooperative, *, lock: bool = False) -> dict[str, _OpenSubscription]:
    """Share subscriptions awaiting payment by bank transfer, by their key for matching, as
    plain rows of what matching and booking read (tens of thousands of model instances cost
    seconds); with `lock`, locked in order of id, so none is paid another way while matching
    books them."""
    from shares.models import Subscription, SubscriptionStatus

    subscriptions = Subscription.objects.filter(
        cooperative=cooperative, status=SubscriptionStatus.AWAITING_PAYMENT
    ).exclude(payment_reference="")
    if lock:
        subscriptions = subscriptions.select_for_update().order_by("pk")
    rows = subscriptions.values_list("pk", "amount", "currency", "payment_reference")
    return {str(row[0]): _OpenSubscription._make(row) for row in rows}


def _open_streams(cooperative) -> dict[str, FundingStream]:
    """Funding streams whose funder's account is known, by key, each with `expected`: what the
    funder committed less what the stream has received so far (never below zero)."""
    streams = {
        str(each.pk): each
        for each in FundingStream.objects.filter(cooperative=cooperative)
        .exclude(payer_iban="")
        .select_related("funder", "account")
    }
    received = {
        row["account__funding_stream"]: row["total"]
        for row in Posting.objects.filter(
            account__funding_stream__in=[each.pk for each in streams.values()],
            transaction__action=STREAM_RECEIVED,
        )
        .values("account__funding_stream")
        .annotate(total=Sum("amount"))
    }
    for each in streams.values():
        # A fund is a liability: money received is a credit, a negative posting.
        each.expected = max(each.committed + received.get(each.pk, Decimal(0)), Decimal(0))
    return streams


def _open_items(subscriptions, streams) -> list[matching.OpenItem]:
    items = [
        matching.OpenItem(
            kind=SUBSCRIPTION, key=key, amount=each.amount, reference=each.payment_reference
        )
        for key, each in subscriptions.items()
    ]
    items += [
        matching.OpenItem(
            kind=STREAM,
            key=key,
            amount=each.expected,
            ibans=frozenset({each.payer_iban}),
            up_to=True,
        )
        for key, each in streams.items()
    ]
    return items


def _book_subscription(line: BankLine, subscription, *, actor):
    """Books the subscription through its own service on the line's booking date."""
    from shares.services import record_subscription_payment

    if line.amount != subscription.amount or line.currency != subscription.currency:
        raise DomainError(
            _("The amount of this bank line, %(paid)s, is not what the subscription costs.")
            % {"paid": _euros(line.amount, line.currency)},
            code="wrong_amount",
        )
    paid = record_subscription_payment(subscription, actor=actor, paid_on=line.booking_date)
    return paid.payment_transaction


def _book_subscriptions(cooperative, paying, *, actor) -> list[list[int]]:
    """Books the subscriptions that `paying`'s lines pay, each on its line's booking date,
    through their service for many payments at once; the lines point at their bookings.
    Returns [line, transaction] pairs."""
    from shares.services import record_subscription_payments

    paid = record_subscription_payments(
        cooperative,
        [(subscription, line.booking_date) for line, subscription in paying],
        actor=actor,
    )
    pairs = []
    for (line, _subscription), subscription in zip(paying, paid, strict=True):
        line.booked_transaction_id = subscription.payment_transaction.pk
        pairs.append([line.pk, line.booked_transaction_id])
    return pairs


def _book_stream_receipt(line: BankLine, stream: FundingStream, *, actor):
    """Money in from the funder's account, booked as `record_stream_receipt` books it (bank to
    the stream's fund) on the line's booking date, with the line as cause."""
    if line.amount <= 0 or line.currency != stream.currency:
        raise DomainError(
            _("Only money coming in can be booked as money received for a funding stream."),
            code="wrong_amount",
        )
    money = Money(line.amount, line.currency)
    return post_transaction(
        line.bank_account.cooperative,
        actor=actor,
        booking_date=line.booking_date,
        description=_("Received for %(stream)s from %(funder)s")
        % {"stream": stream.name, "funder": stream.funder.name},
        lines=[debit(line.bank_account.ledger_account, money), credit(stream.account, money)],
        cause=line,
        action=STREAM_RECEIVED,
        details={"stream": stream.name, "amount": str(line.amount), "line": line.pk},
    )


def _mark_booked(line: BankLine, booked) -> None:
    line.status = BankLineStatus.BOOKED
    line.booked_transaction = booked
    line.save(update_fields=["status", "booked_transaction"])


_SUGGESTION_FIELDS = (
    "status",
    "booked_transaction_id",
    "suggested_kind",
    "suggested_key",
    "suggested_confidence",
    "suggested_reason",
)


# A line's status, booking and suggestion, read before matching and after it so that only what
# changed is written: for a year of lines, 200,000 reads of one C call each.
_suggestion_of = attrgetter(*_SUGGESTION_FIELDS)


# The columns of a bank line, in the order of the model's fields.
_LINE_FIELDS = tuple(field.attname for field in BankLine._meta.concrete_fields)


class _Line:
    """A bank line as matching reads and marks it: its columns as attributes, without a model
    instance each (for a year of lines those cost seconds). A booking that needs the model
    (a stream's receipt, our own payments) gets one from `_line_model`."""

    def __init__(self, values):
        self.__dict__.update(zip(_LINE_FIELDS, values, strict=True))

    @property
    def pk(self):
        return self.id


def _line_model(line, bank_account=None) -> BankLine:
    """The model instance of a `_Line` as it stands now (a BankLine is returned as it is)."""
    if isinstance(line, BankLine):
        return line
    model = BankLine.from_db(
        BankLine.objects.db, _LINE_FIELDS, [line.__dict__[name] for name in _LINE_FIELDS]
    )
    if bank_account is not None:
        BankLine.bank_account.field.set_cached_value(model, bank_account)
    return model


def _write_suggestions(lines: list) -> None:
    """Store the status, booking and suggestion of `lines`: on PostgreSQL in one UPDATE joined
    to arrays of the new values (bulk_update's CASE per row and column grows with the square of
    the batch), elsewhere with bulk_update."""
    if not lines:
        return
    if connection.vendor != "postgresql":
        BankLine.objects.bulk_update(
            [_line_model(line) for line in lines],
            [name.removesuffix("_id") for name in _SUGGESTION_FIELDS],
            batch_size=1000,
        )
        return
    table = connection.ops.quote_name(BankLine._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS line SET status = new.status, "  # noqa: S608
            "booked_transaction_id = new.booked, suggested_kind = new.kind, "
            "suggested_key = new.key, suggested_confidence = new.confidence, "
            "suggested_reason = new.reason "
            "FROM unnest(%s::bigint[], %s::text[], %s::bigint[], %s::text[], %s::text[], "
            "%s::float8[], %s::text[]) AS new(id, status, booked, kind, key, confidence, reason) "
            "WHERE line.id = new.id",
            # As array literals: the driver's conversion of a list, value by value, takes several
            # times longer for a year of lines.
            [
                array_literal(line.pk for line in lines),
                *(
                    array_literal(getattr(line, name) for line in lines)
                    for name in _SUGGESTION_FIELDS
                ),
            ],
        )


@contextlib.contextmanager
def _cycle_collection_paused():
    """Python's cycle collector paused while a run keeps hundreds of thousands of objects alive
    to its end (a year of lines, their suggestions, bookings and events). Each time the objects
    grow by a quarter the collector walks all of them again, and finds next to nothing: the
    run's objects are freed as they go out of use, and a run of any size leaves the same few
    hundred in cycles. That walking was a third of a year's run's time in Python. Cycles made
    meanwhile (in this process's other threads too) are collected after the run; a collector
    switched off before is left off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@_cycle_collection_paused()
@transaction.atomic
def match_bank_lines(cooperative, *, actor) -> dict:
    """The treasurer matches the bank lines not booked yet to what they pay. A confident match
    (see budgets.matching) is booked at once through the service of what it pays; the other
    lines keep their best suggestion for the treasurer. A line in a closed period is not booked
    and waits with its suggestion. Money from a funder's account is
    booked for the stream while the stream still expects that much (what the funder committed
    less what arrived, counted down as this run books); a line for more waits. Our own payments,
    advances returned and Stripe payouts are booked only for a sure reason (see "Bank lines
    that pay our own payments" below). Returns the counts.

    What could refuse a booking is checked before it, under the locks of the cooperative and
    the open subscriptions (the closed period, the amount, the direction), so the bookings run
    without a savepoint each: thousands of savepoints in one transaction make PostgreSQL slow
    down (each writing one takes a subtransaction id, and past 64 every reader of the rows
    consults pg_subtrans). A booking refused all the same refuses the whole run."""
    cooperative = _lock_cooperative(cooperative)
    _require(actor, cooperative, Role.TREASURER)
    closed_until = cooperative.period_closes.aggregate(until=Max("until"))["until"]
    # The few bank accounts are read once, not joined to each of many lines.
    bank_accounts = {
        each.pk: each
        for each in BankAccount.objects.filter(cooperative=cooperative).select_related(
            "ledger_account"
        )
    }
    lines = [
        _Line(row)
        for row in BankLine.objects.select_for_update()
        .filter(bank_account__in=list(bank_accounts))
        .exclude(status=BankLineStatus.BOOKED)
        .order_by("booking_date", "pk")
        .values_list(*_LINE_FIELDS)
    ]
    before = [_suggestion_of(line) for line in lines]
    subscriptions = _open_subscriptions(cooperative, lock=True)
    streams = _open_streams(cooperative)
    payments = _open_payments(cooperative)
    found = matching.match(lines, _open_items(subscriptions, streams) + _payment_items(payments))
    booked, waiting, paying = [], 0, []
    for position, (line, suggestions) in enumerate(zip(lines, found, strict=True)):
        best = suggestions.matches[0] if suggestions.matches else None
        line.suggested_kind = best.kind if best else ""
        line.suggested_key = best.item_key if best else ""
        line.suggested_confidence = best.confidence if best else None
        line.suggested_reason = best.reason if best else ""
        line.status = BankLineStatus.MATCHED if best else BankLineStatus.UNMATCHED
        sure = matching.confident(suggestions)
        if closed_until is not None and line.booking_date <= closed_until:
            sure = None
        done = None
        if sure is not None and sure.kind == SUBSCRIPTION:
            subscription = subscriptions[sure.item_key]
            if line.amount == subscription.amount and line.currency == subscription.currency:
                # Booked together after the loop (`_book_subscriptions`).
                line.status = BankLineStatus.BOOKED
                paying.append((line, subscription))
        elif sure is not None and sure.kind == STREAM:
            stream = streams[sure.item_key]
            if 0 < line.amount <= stream.expected and line.currency == stream.currency:
                line = lines[position] = _line_model(line, bank_accounts[line.bank_account_id])
                line.bank_account.cooperative = cooperative
                done = _book_stream_receipt(line, stream, actor=actor)
                stream.expected -= line.amount
        if (
            done is None
            and best is not None
            and best.kind in _PAYMENT_KINDS
            and (closed_until is None or line.booking_date > closed_until)
        ):
            line = lines[position] = _line_model(line, bank_accounts[line.bank_account_id])
            done = _book_payment(line, suggestions, payments, actor=actor)
        if done is not None:
            line.status = BankLineStatus.BOOKED
            line.booked_transaction = done
            booked.append([line.pk, done.pk])
        if line.status == BankLineStatus.MATCHED:
            waiting += 1
    booked += _book_subscriptions(cooperative, paying, actor=actor)
    order = {line.pk: position for position, line in enumerate(lines)}
    booked.sort(key=lambda pair: order[pair[0]])
    _write_suggestions(
        [line for line, was in zip(lines, before, strict=True) if _suggestion_of(line) != was]
    )
    result = {"lines": len(lines), "booked": len(booked), "suggested": waiting}
    append_event(
        cooperative,
        actor=actor,
        action=LINES_MATCHED,
        subject=cooperative,
        payload=result | {"booked_lines": booked},
    )
    return result


@transaction.atomic
def book_bank_line(line, *, actor, account, description: str = ""):
    """The treasurer books a bank line that matched nothing straight to a ledger account of the
    cooperative, on the line's booking date: money in goes from that account to the bank, money
    out from the bank to that account. The ledger refuses a date in a closed period."""
    line = _line_to_book(line, actor)
    bank_account = line.bank_account
    cooperative = bank_account.cooperative
    if not isinstance(account, Account) or account.cooperative_id != cooperative.pk:
        raise DomainError(_("Choose an account of this cooperative."), field="account")
    if account.pk == bank_account.ledger_account_id:
        raise DomainError(
            _("Choose another account than the bank account itself."), field="account"
        )
    description = clean_text(description, field="description", limit=MAX_REASON)
    money = Money(abs(line.amount), line.currency)
    bank = bank_account.ledger_account
    if line.amount > 0:
        lines = [debit(bank, money), credit(account, money)]
    else:
        lines = [debit(account, money), credit(bank, money)]
    booked = post_transaction(
        cooperative,
        actor=actor,
        booking_date=line.booking_date,
        description=description
        or _("Bank line of %(date)s: %(name)s")
        % {"date": line.booking_date.isoformat(), "name": line.counterparty_name[:100]},
        lines=lines,
        cause=line,
        action=LINE_BOOKED,
        details={"line": line.pk, "account": account.code, "amount": str(line.amount)},
    )
    _mark_booked(line, booked)
    return booked


@transaction.atomic
def link_bank_line(line, *, actor, booking: Transaction) -> Transaction:
    """The treasurer says a bank line is a booking made already, before the statement came (the
    return of an advance recorded on the advance's page, a cost booked from its receipt): the
    line points at that booking, and nothing new is booked. The booking must move exactly the
    line's amount on the line's bank account; it may not be reversed or a reversal, and no
    other bank line may point at it already."""
    line = _line_to_book(line, actor)
    bank_account = line.bank_account
    cooperative = bank_account.cooperative
    if not isinstance(booking, Transaction) or booking.cooperative_id != cooperative.pk:
        raise DomainError(_("Choose a booking of this cooperative."), field="booking")
    # Two lines linked to one booking at once wait for each other: on the line's lock, which
    # holds its bank account and cooperative too, and on the booking's own, for a booking on a
    # ledger account that two bank accounts share. The second then sees the first.
    booking = Transaction.objects.select_for_update(of=("self",)).get(pk=booking.pk)
    if booking.reverses_id is not None or Transaction.objects.filter(reverses=booking).exists():
        raise DomainError(
            _("This booking has been reversed, or reverses another: choose another."),
            field="booking",
            code="reversed",
        )
    moved = Posting.objects.filter(
        transaction=booking, account=bank_account.ledger_account_id
    ).aggregate(total=Sum("amount"))["total"]
    if moved is None or cents(moved) != cents(line.amount):
        raise DomainError(
            _("This booking does not move %(amount)s on this bank account, as the line does.")
            % {"amount": _euros(cents(line.amount), line.currency)},
            field="booking",
            code="other_amount",
        )
    linked = BankLine.objects.filter(booked_transaction=booking).first()
    if linked is not None:
        raise DomainError(
            _("This booking is already the bank line of %(date)s.")
            % {"date": linked.booking_date.isoformat()},
            field="booking",
            code="already_linked",
        )
    _mark_booked(line, booking)
    append_event(
        cooperative,
        actor=actor,
        action=LINE_LINKED,
        subject=line,
        payload={
            "line": line.pk,
            "transaction": booking.pk,
            "amount": str(line.amount),
            "currency": line.currency,
            "booking_date": booking.booking_date.isoformat(),
        },
    )
    return booking


@transaction.atomic
def accept_suggestion(line, *, actor):
    """The treasurer accepts the suggestion stored on a line: it is booked through the service
    of what it pays (a share subscription: `record_subscription_payment`, whose event is this
    booking's one event; a funding stream: money received for it, `budget.stream_received`,
    whatever the stream still expects, since the treasurer has looked; our own payment, an
    advance returned or a Stripe payout: see `_accept_payment`), and the line points at the
    booking."""
    line = _line_to_book(line, actor)
    cooperative = line.bank_account.cooperative
    if line.suggested_kind in _PAYMENT_KINDS and line.suggested_key:
        booked = _accept_payment(line, cooperative, actor=actor)
        _mark_booked(line, booked)
        return booked
    if line.suggested_kind == STREAM and line.suggested_key:
        stream = (
            FundingStream.objects.select_related("funder", "account")
            .filter(cooperative=cooperative, pk=int(line.suggested_key))
            .first()
        )
        if stream is None:
            raise DomainError(
                _("The suggested funding stream no longer exists."), code="suggestion_gone"
            )
        booked = _book_stream_receipt(line, stream, actor=actor)
        _mark_booked(line, booked)
        return booked
    if line.suggested_kind != SUBSCRIPTION or not line.suggested_key:
        raise DomainError(
            _("This bank line has no suggestion to accept: book it to an account."),
            code="no_suggestion",
        )
    subscription = _open_subscriptions(cooperative).get(line.suggested_key)
    if subscription is None:
        raise DomainError(
            _("The suggested subscription is no longer waiting for payment."),
            code="suggestion_gone",
        )
    booked = _book_subscription(line, subscription, actor=actor)
    _mark_booked(line, booked)
    return booked


# Expenses, advances and payment batches
#
# An expense or an advance is approved by two different people: the treasurer, a board member or
# the lead of the project whose budget pays it (the member who proposed it); never the claimant
# and never whoever submitted it. Approving locks the cooperative's row, then the item, then the
# balance row of the budget, in that order, so two approvals of the last money of one budget
# wait for each other and the second sees what the first committed. A budget's money left is its
# balance less the expenses approved and not yet paid and the advances approved or paid and not
# yet settled.
#
# Bookings (ADR 0052): a payment batch is one ledger transaction, debit each project budget (for
# its expenses) and account 1300 (for its advances), credit the bank; settling an advance debits
# the budget with what was spent (at most the advance) and credits 1300; money returned debits the
# bank and credits 1300; a difference claimed above the advance is an expense of its own.

EXPENSE_SUBMITTED = "expense.submitted"
EXPENSE_APPROVED = "expense.approved"
EXPENSE_REJECTED = "expense.rejected"
ADVANCE_REQUESTED = "advance.requested"
ADVANCE_APPROVED = "advance.approved"
ADVANCE_REJECTED = "advance.rejected"
ADVANCE_SETTLED = "advance.settled"
ADVANCE_RETURNED = "advance.returned"
PAYMENT_BATCH_MADE = "payment.batch_made"
PAYMENT_RECONCILED = "payment.reconciled"

# Who enters a supplier's invoice; who approves (besides the project's lead).
INVOICE_ROLES = (Role.TREASURER, Role.BOARD, Role.COORDINATOR)
APPROVER_ROLES = expense_selectors.APPROVER_ROLES
# A batch is paid at most this many days ahead.
MAX_DAYS_AHEAD = 60
MAX_BATCH_ITEMS = 500


def _check_budget_account(cooperative, budget) -> Account:
    if (
        not isinstance(budget, Account)
        or budget.cooperative_id != cooperative.pk
        or budget.purpose != Purpose.PROJECT_BUDGET
    ):
        raise DomainError(_("Choose one of this cooperative's project budgets."), field="budget")
    return budget


def _clean_iban(value, *, field: str = "payee_iban") -> str:
    try:
        number = iban_numbers.validate(value if isinstance(value, str) else "")
    except stdnum_exceptions.ValidationError:
        raise DomainError(
            _("This is not a valid IBAN. Check the number, for example NL91 ABNA 0417 1643 00."),
            field=field,
            code="bad_iban",
        ) from None
    if number[:2] not in sepa.SEPA_COUNTRIES:
        raise DomainError(
            _(
                "This account is outside SEPA: the cooperative can only pay accounts in SEPA countries."
            ),
            field=field,
            code="bad_iban",
        )
    return number


def _next_number(model, cooperative) -> int:
    return (model.objects.filter(cooperative=cooperative).aggregate(n=Max("number"))["n"] or 0) + 1


def _member(actor, cooperative) -> Membership | None:
    return membership_for(actor, cooperative)


def _check_money_left(budget: Account, amount: Decimal, currency: str, **excluded) -> None:
    # The balance row is locked, after the cooperative's row, so that approvals of one budget
    # take turns; a booking waits on the cooperative's row before it touches the balance.
    Balance.objects.select_for_update().filter(pk=budget.pk).values_list("pk").get()
    left = credit_balance(budget) - expense_selectors.committed(budget, **excluded)
    if amount > left:
        raise DomainError(
            _(
                "There is not enough money left in the budget of %(project)s: %(left)s is left "
                "after what was approved before, and this is %(amount)s."
            )
            % {
                "project": expense_selectors.project_title(budget),
                "left": _euros(max(left, cents(0)), currency),
                "amount": _euros(amount, currency),
            },
            code="not_enough_money",
        )


def _approver(actor, cooperative, item, *, owner, submitter) -> Membership:
    """The acting person's membership if they may approve or reject `item`, or a refusal.
    `owner` is the claimant or the holder of an advance, `submitter` who entered it."""
    membership = _member(actor, cooperative)
    if membership is None:
        raise NotAllowed(_("You are not a member of %(name)s.") % {"name": cooperative.name})
    lead = expense_selectors.project_lead(item.budget)
    if not (holds_role(membership, *APPROVER_ROLES) or (lead and lead.pk == membership.pk)):
        raise NotAllowed(
            _(
                "Only the treasurer, a board member or the project's lead may approve or reject this."
            )
        )
    if owner is not None and owner.pk == membership.pk:
        raise DomainError(
            _("Nobody approves their own claim or advance: someone else must decide."),
            code="own_claim",
        )
    if submitter is not None and submitter.pk == membership.pk:
        raise DomainError(
            _("You entered this yourself: two other people approve it."),
            code="own_submission",
        )
    return membership


def _approve(item, membership, *, waiting_status, approved_status) -> bool:
    """Record one approval; True when it was the second. Refuses a second approval by the
    same person, and an item that is not waiting for approval."""
    if item.status != waiting_status:
        raise DomainError(
            _("This is not waiting for approval: it is %(status)s.")
            % {"status": str(item.get_status_display()).lower()},
            code="not_waiting",
        )
    if item.first_approver_id == membership.pk:
        raise DomainError(
            _(
                "You have already approved this; approving twice does not count. A second "
                "person must approve it."
            ),
            code="approving_twice",
        )
    if item.first_approver_id is None:
        item.first_approver = membership
        return False
    item.second_approver = membership
    item.approved_at = timezone.now()
    item.status = approved_status
    return True


def _record_approval(
    cooperative, item, membership, *, actor, waiting_status, approved_status, action, others
):
    """Record one of the two approvals of an expense or an advance, while its project budget
    has the money left (`others` names the item itself for `_check_money_left`)."""
    second = _approve(
        item, membership, waiting_status=waiting_status, approved_status=approved_status
    )
    _check_money_left(item.budget, item.amount, item.currency, **others)
    _set_history(item, actor, "approved" if second else "first approval")
    item.save(update_fields=["first_approver", "second_approver", "approved_at", "status"])
    append_event(
        cooperative,
        actor=actor,
        action=action,
        subject=item,
        payload={
            "number": item.number,
            "approval": 2 if second else 1,
            "approved": second,
            "budget": item.budget.code,
            "amount": str(item.amount),
        },
    )
    return item


def _record_rejection(
    cooperative, item, membership, *, actor, reason, waiting, too_late, rejected_status, action
):
    """Reject an expense or an advance still `waiting`, with the reason its owner reads;
    `too_late` says why one that is further along cannot be."""
    if item.status not in waiting:
        raise DomainError(
            too_late % {"status": str(item.get_status_display()).lower()}, code="not_waiting"
        )
    reason = _clean_reason(reason)
    item.status = rejected_status
    item.rejection_reason = reason
    item.decided_by = membership
    _set_history(item, actor, "rejected")
    item.save(update_fields=["status", "rejection_reason", "decided_by"])
    append_event(
        cooperative,
        actor=actor,
        action=action,
        subject=item,
        payload={"number": item.number, "reason": reason},
    )
    return item


def _clean_reason(reason) -> str:
    return clean_text(
        reason,
        field="reason",
        limit=MAX_REASON,
        required_message=_("Write down why, so the person who asked can read it."),
    )


def _checked_receipts(files) -> list:
    """(data, name) pairs as checked receipts, or a refusal on `receipt`."""
    return [receipts.check(data, name) for data, name in files]


def _store_receipts(cooperative, checked, membership, **belongs_to) -> list[ReceiptFile]:
    """Write the files and their rows. A file written before a refusal is taken back."""
    stored = []
    try:
        for each in checked:
            name = receipts.store(each)
            stored.append(name)
            ReceiptFile.objects.create(
                cooperative=cooperative,
                stored_name=name,
                original_name=each.name,
                content_type=each.content_type,
                size=each.size,
                sha256=each.sha256,
                uploaded_by=membership,
                **belongs_to,
            )
    except BaseException:
        for name in stored:
            receipts.remove(name)
        raise
    return list(ReceiptFile.objects.filter(**belongs_to).order_by("pk"))


def _lock_expense(expense) -> Expense:
    return (
        Expense.objects.select_for_update(of=("self",))
        .select_related("cooperative", "budget", "claimant", "submitted_by")
        .get(pk=expense.pk)
    )


def _lock_advance(advance) -> Advance:
    return (
        Advance.objects.select_for_update(of=("self",))
        .select_related("cooperative", "budget", "holder")
        .get(pk=advance.pk)
    )


@transaction.atomic
def submit_expense(
    cooperative,
    *,
    actor,
    budget,
    amount,
    description: str,
    spent_on,
    receipt: bytes,
    receipt_name: str = "",
    payee_iban: str = "",
    kind: str = ExpenseKind.CLAIM,
    supplier_name: str = "",
    claimant=None,
) -> Expense:
    """A member claims money they spent on a project back (a claim, paid to the IBAN they give),
    or the treasurer, a board member or a coordinator enters a supplier's invoice. With the
    receipt (PDF, JPEG or PNG). It then waits for two approvals. The system names the
    `claimant` of a claim itself."""
    cooperative = _lock_cooperative(cooperative)
    if kind not in ExpenseKind.values:
        raise DomainError(_("Choose a claim or a supplier's invoice."), field="kind")
    if kind == ExpenseKind.CLAIM:
        if _is_system(actor):
            if not isinstance(claimant, Membership) or claimant.cooperative_id != cooperative.pk:
                raise DomainError(_("Say who claims this."), field="claimant")
            membership = _member(actor, cooperative) if actor is not None else None
        else:
            membership = claimant = require_role(actor, cooperative, *RESIDENT_ROLES)
        supplier_name = ""
    else:
        membership = _require(actor, cooperative, *INVOICE_ROLES)
        claimant = None
        supplier_name = clean_text(
            supplier_name,
            field="supplier_name",
            limit=70,
            required_message=_("Fill in the name of the supplier."),
        )
    budget = _check_budget_account(cooperative, budget)
    amount = _clean_amount(amount, cooperative.currency)
    description = clean_text(
        description,
        field="description",
        limit=MAX_REASON,
        required_message=_("Say what the money was spent on."),
    )
    spent_on = _clean_date(spent_on, field="spent_on")
    if spent_on > timezone.localdate():
        raise DomainError(_("This date has not come yet."), field="spent_on")
    payee_iban = _clean_iban(payee_iban)
    (checked,) = _checked_receipts([(receipt, receipt_name)])
    expense = Expense(
        cooperative=cooperative,
        number=_next_number(Expense, cooperative),
        kind=kind,
        budget=budget,
        claimant=claimant,
        supplier_name=supplier_name,
        payee_iban=payee_iban,
        amount=amount,
        currency=cooperative.currency,
        description=description,
        spent_on=spent_on,
        submitted_by=membership,
    )
    _set_history(expense, actor, "submitted")
    expense.save()
    (stored,) = _store_receipts(cooperative, [checked], membership, expense=expense)
    try:
        append_event(
            cooperative,
            actor=actor,
            action=EXPENSE_SUBMITTED,
            subject=expense,
            payload={
                "number": expense.number,
                "kind": kind,
                "budget": budget.code,
                "amount": str(amount),
                "currency": cooperative.currency,
                "spent_on": spent_on.isoformat(),
                "claimant": claimant.member_number if claimant else None,
                "receipt_sha256": stored.sha256,
            },
        )
    except BaseException:
        receipts.remove(stored.stored_name)
        raise
    return expense


@transaction.atomic
def approve_expense(expense, *, actor) -> Expense:
    """One of two approvals of an expense. The second, by another person, makes it approved,
    and only while the project's budget has the money left; it is then paid in a batch."""
    cooperative = _lock_cooperative(expense.cooperative)
    expense = _lock_expense(expense)
    membership = _approver(
        actor,
        cooperative,
        expense,
        owner=expense.claimant,
        submitter=expense.submitted_by,
    )
    return _record_approval(
        cooperative,
        expense,
        membership,
        actor=actor,
        waiting_status=ExpenseStatus.SUBMITTED,
        approved_status=ExpenseStatus.APPROVED,
        action=EXPENSE_APPROVED,
        others={"except_expense": expense},
    )


@transaction.atomic
def reject_expense(expense, *, actor, reason: str) -> Expense:
    """An approver rejects an expense that is not paid yet, with a reason the claimant reads."""
    cooperative = _lock_cooperative(expense.cooperative)
    expense = _lock_expense(expense)
    membership = _approver(
        actor,
        cooperative,
        expense,
        owner=expense.claimant,
        submitter=expense.submitted_by,
    )
    return _record_rejection(
        cooperative,
        expense,
        membership,
        actor=actor,
        reason=reason,
        waiting=(ExpenseStatus.SUBMITTED, ExpenseStatus.APPROVED),
        too_late=_("This expense can no longer be rejected: it is %(status)s."),
        rejected_status=ExpenseStatus.REJECTED,
        action=EXPENSE_REJECTED,
    )


@transaction.atomic
def request_advance(
    cooperative, *, actor, budget, amount, purpose: str, payee_iban: str, holder=None
) -> Advance:
    """A resident asks for money before they buy something for a project, paid to their own
    account. Two people approve it, as an expense. The system names the `holder` itself."""
    cooperative = _lock_cooperative(cooperative)
    if _is_system(actor):
        if not isinstance(holder, Membership) or holder.cooperative_id != cooperative.pk:
            raise DomainError(_("Say who asks for the advance."), field="holder")
    else:
        holder = require_role(actor, cooperative, *RESIDENT_ROLES)
    budget = _check_budget_account(cooperative, budget)
    amount = _clean_amount(amount, cooperative.currency)
    purpose = clean_text(
        purpose,
        field="purpose",
        limit=MAX_REASON,
        required_message=_("Say what you will buy with the advance."),
    )
    payee_iban = _clean_iban(payee_iban)
    advance = Advance(
        cooperative=cooperative,
        number=_next_number(Advance, cooperative),
        budget=budget,
        holder=holder,
        payee_iban=payee_iban,
        amount=amount,
        currency=cooperative.currency,
        purpose=purpose,
    )
    _set_history(advance, actor, "requested")
    advance.save()
    append_event(
        cooperative,
        actor=actor,
        action=ADVANCE_REQUESTED,
        subject=advance,
        payload={
            "number": advance.number,
            "budget": budget.code,
            "amount": str(amount),
            "currency": cooperative.currency,
            "holder": holder.member_number,
        },
    )
    return advance


@transaction.atomic
def approve_advance(advance, *, actor) -> Advance:
    """One of two approvals of an advance; the second makes it approved, while the budget has
    the money left. It is then paid in a batch."""
    cooperative = _lock_cooperative(advance.cooperative)
    advance = _lock_advance(advance)
    membership = _approver(
        actor,
        cooperative,
        advance,
        owner=advance.holder,
        submitter=None,
    )
    return _record_approval(
        cooperative,
        advance,
        membership,
        actor=actor,
        waiting_status=AdvanceStatus.REQUESTED,
        approved_status=AdvanceStatus.APPROVED,
        action=ADVANCE_APPROVED,
        others={"except_advance": advance},
    )


@transaction.atomic
def reject_advance(advance, *, actor, reason: str) -> Advance:
    """An approver rejects an advance that is not paid yet, with a reason the resident reads."""
    cooperative = _lock_cooperative(advance.cooperative)
    advance = _lock_advance(advance)
    membership = _approver(
        actor,
        cooperative,
        advance,
        owner=advance.holder,
        submitter=None,
    )
    return _record_rejection(
        cooperative,
        advance,
        membership,
        actor=actor,
        reason=reason,
        waiting=(AdvanceStatus.REQUESTED, AdvanceStatus.APPROVED),
        too_late=_("This advance can no longer be rejected: it is %(status)s."),
        rejected_status=AdvanceStatus.REJECTED,
        action=ADVANCE_REJECTED,
    )


def _clean_spent(value, currency: str) -> Decimal:
    """An amount spent: as any amount, but nothing spent (zero) is an answer too."""
    if isinstance(value, str) and value.strip().replace(",", ".") in ("0", "0.0", "0.00"):
        return cents(0)
    if isinstance(value, int | Decimal) and not isinstance(value, bool) and value == 0:
        return cents(0)
    return _clean_amount(value, currency, field="spent")


def _advances_account(cooperative) -> Account:
    return Account.objects.get(cooperative=cooperative, purpose=Purpose.ADVANCES)


def _bank_ledger_account(cooperative) -> Account:
    return (
        Account.objects.filter(cooperative=cooperative, purpose=Purpose.BANK)
        .order_by("code")
        .first()
    )


@transaction.atomic
def settle_advance(advance, *, actor, spent, receipts_files=()) -> Advance:
    """The resident (or the treasurer for them) settles a paid advance with the receipts of
    what was spent. The budget pays what was spent, up to the advance. Less spent: the rest is
    to be returned, and the advance is owed until the treasurer records it received. More
    spent: the difference becomes a claim of its own (an expense), approved and paid as any
    other. An advance is settled once."""
    cooperative = _lock_cooperative(advance.cooperative)
    advance = _lock_advance(advance)
    membership = None if _is_system(actor) else _member(actor, cooperative)
    if not _is_system(actor) and (
        membership is None
        or (membership.pk != advance.holder_id and not holds_role(membership, Role.TREASURER))
    ):
        raise NotAllowed(
            _("Only the resident who asked for the advance, or the treasurer, settles it.")
        )
    if advance.status in (AdvanceStatus.OWED, AdvanceStatus.SETTLED):
        raise DomainError(_("This advance has already been settled."), code="already_settled")
    if advance.status != AdvanceStatus.PAID:
        raise DomainError(
            _("An advance is settled after it has been paid; this one is %(status)s.")
            % {"status": str(advance.get_status_display()).lower()},
            code="not_paid",
        )
    spent = _clean_spent(spent, cooperative.currency)
    files = list(receipts_files or ())
    if spent > 0 and not files:
        raise DomainError(
            _("Add a photo or PDF of each receipt of what you spent."), field="receipt"
        )
    checked = _checked_receipts(files)
    booked_spent = min(spent, cents(advance.amount))
    advance.spent = spent
    advance.to_return = cents(advance.amount) - booked_spent
    advance.settled_at = timezone.now()
    advance.status = AdvanceStatus.OWED if advance.to_return > 0 else AdvanceStatus.SETTLED
    _set_history(advance, actor, "settled")
    advance.save(update_fields=["spent", "to_return", "settled_at", "status"])
    difference = None
    if spent > advance.amount:
        difference = Expense(
            cooperative=cooperative,
            number=_next_number(Expense, cooperative),
            kind=ExpenseKind.CLAIM,
            budget=advance.budget,
            claimant=advance.holder,
            payee_iban=advance.payee_iban,
            amount=spent - cents(advance.amount),
            currency=advance.currency,
            description=(
                _("More spent than advance %(number)s: %(purpose)s")
                % {"number": advance.number, "purpose": advance.purpose}
            )[:300],
            spent_on=timezone.localdate(),
            submitted_by=membership,
            advance=advance,
        )
        _set_history(difference, actor, "submitted with the settlement of an advance")
        difference.save()
    stored = _store_receipts(cooperative, checked, membership, advance=advance)
    details = {
        "number": advance.number,
        "amount": str(advance.amount),
        "spent": str(spent),
        "to_return": str(advance.to_return),
        "difference_claim": difference.number if difference else None,
        "receipts_sha256": [each.sha256 for each in stored],
    }
    try:
        if booked_spent > 0:
            money = Money(booked_spent, cooperative.currency)
            post_transaction(
                cooperative,
                actor=actor,
                booking_date=timezone.localdate(),
                description=_("Advance %(number)s settled: %(purpose)s")
                % {"number": advance.number, "purpose": advance.purpose[:120]},
                lines=[debit(advance.budget, money), credit(_advances_account(cooperative), money)],
                cause=advance,
                action=ADVANCE_SETTLED,
                details=details,
                checked_by_caller=True,
            )
        else:
            append_event(
                cooperative, actor=actor, action=ADVANCE_SETTLED, subject=advance, payload=details
            )
    except BaseException:
        for each in stored:
            receipts.remove(each.stored_name)
        raise
    return advance


@transaction.atomic
def record_advance_return(advance, *, actor, received_on=None, line=None) -> Transaction:
    """The treasurer records that the resident returned what they did not spend of an advance:
    from the bank back onto account 1300. The advance is then settled.

    With `line` (the bank matching, or the treasurer accepting its suggestion), the bank line
    that shows the money arriving: money in of exactly what is owed, not booked yet. It is then
    booked on the line's date, to the line's bank account, with the line as cause; the line's
    own status is the caller's to set."""
    cooperative = _lock_cooperative(advance.cooperative)
    advance = _lock_advance(advance)
    _require(actor, cooperative, Role.TREASURER)
    if advance.status != AdvanceStatus.OWED:
        raise DomainError(
            _("Nothing is owed on this advance: there is no return to record."), code="not_owed"
        )
    if line is not None:
        _check_return_line(cooperative, advance, line)
        received_on = line.booking_date
    received_on = timezone.localdate() if received_on is None else received_on
    received_on = _clean_date(received_on, field="received_on")
    if received_on > timezone.localdate():
        raise DomainError(
            _("This date has not come yet: record money that has arrived."), field="received_on"
        )
    advance.status = AdvanceStatus.SETTLED
    advance.returned_on = received_on
    _set_history(advance, actor, "returned")
    advance.save(update_fields=["status", "returned_on"])
    money = Money(cents(advance.to_return), cooperative.currency)
    return post_transaction(
        cooperative,
        actor=actor,
        booking_date=received_on,
        description=_("Returned of advance %(number)s") % {"number": advance.number},
        lines=[
            debit(
                _bank_ledger_account(cooperative)
                if line is None
                else line.bank_account.ledger_account,
                money,
            ),
            credit(_advances_account(cooperative), money),
        ],
        cause=advance if line is None else line,
        action=ADVANCE_RETURNED,
        details={"number": advance.number, "returned": str(advance.to_return)}
        | ({} if line is None else {"line": line.pk}),
    )


def _check_return_line(cooperative, advance, line) -> None:
    if (
        not isinstance(line, BankLine)
        or line.bank_account.cooperative_id != cooperative.pk
        or line.amount != cents(advance.to_return)
        or line.currency != advance.currency
    ):
        raise DomainError(
            _(
                "This bank line is not the return of this advance: it must be money in of "
                "exactly %(amount)s."
            )
            % {"amount": _euros(cents(advance.to_return), advance.currency)},
            field="line",
            code="wrong_line",
        )
    _check_not_booked(line)


def _end_to_end_id(item) -> str:
    """The id a payment carries through the bank and back on the statement: unique per item,
    at most 35 characters of the SEPA set."""
    letter = "E" if isinstance(item, Expense) else "A"
    return f"WBV{item.cooperative_id}-{letter}{item.number}"


def _payable(items, model, cooperative, waiting, what) -> list:
    ids = []
    for item in items:
        if not isinstance(item, model) or item.cooperative_id != cooperative.pk:
            raise DomainError(_("Choose expenses and advances of this cooperative."), field="items")
        ids.append(item.pk)
    if len(set(ids)) != len(ids):
        raise DomainError(_("Each expense or advance can be chosen once."), field="items")
    locked = list(
        model.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("budget", *(["claimant__user"] if model is Expense else ["holder__user"]))
        .order_by("number")
    )
    for item in locked:
        label = what % {"number": item.number}
        if item.status in (ExpenseStatus.PAID, ExpenseStatus.RECONCILED) or item.batch_id:
            raise DomainError(
                _("%(item)s has already been paid.") % {"item": label}, code="already_paid"
            )
        if item.status != waiting:
            raise DomainError(
                _(
                    "%(item)s cannot be paid: it has not been approved by two people. It is %(status)s."
                )
                % {"item": label, "status": str(item.get_status_display()).lower()},
                code="not_approved",
            )
        if not item.payee_iban:
            raise DomainError(
                _("%(item)s has no account to pay to.") % {"item": label}, code="no_iban"
            )
    return locked


@transaction.atomic
def make_payment_batch(
    cooperative, *, actor, bank_account, expenses=(), advances=(), execution_date=None
) -> PaymentBatch:
    """The treasurer pays approved expenses and advances together from one of the cooperative's
    bank accounts: one ledger transaction (each project budget and the advances account debited,
    the bank credited), each item paid with its own end-to-end id, and the SEPA credit-transfer
    file (pain.001) for the bank, kept with its SHA-256. An item is paid once."""
    cooperative = _lock_cooperative(cooperative)
    membership = _require(actor, cooperative, Role.TREASURER)
    if not isinstance(bank_account, BankAccount) or bank_account.cooperative_id != cooperative.pk:
        raise DomainError(
            _("Choose one of this cooperative's bank accounts."), field="bank_account"
        )
    expenses, advances = list(expenses or ()), list(advances or ())
    if not expenses and not advances:
        raise DomainError(_("Choose at least one expense or advance to pay."), field="items")
    if len(expenses) + len(advances) > MAX_BATCH_ITEMS:
        raise DomainError(
            _("Pay at most %(count)s items in one batch.") % {"count": MAX_BATCH_ITEMS},
            field="items",
        )
    today = timezone.localdate()
    execution_date = today if execution_date is None else execution_date
    execution_date = _clean_date(execution_date, field="execution_date")
    if not today <= execution_date <= today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError(
            _("Choose a payment date from today up to %(days)s days ahead.")
            % {"days": MAX_DAYS_AHEAD},
            field="execution_date",
        )
    expenses = _payable(
        expenses, Expense, cooperative, ExpenseStatus.APPROVED, _("Expense %(number)s")
    )
    advances = _payable(
        advances, Advance, cooperative, AdvanceStatus.APPROVED, _("Advance %(number)s")
    )
    number = _next_number(PaymentBatch, cooperative)
    message_id = f"WBV{cooperative.pk}-B{number}"
    payments, items = [], []
    for expense in expenses:
        expense.end_to_end_id = _end_to_end_id(expense)
        name = (
            expense.supplier_name
            if expense.kind == ExpenseKind.INVOICE
            else expense.claimant.user.full_name
        )
        payments.append(
            sepa.Payment(
                end_to_end_id=expense.end_to_end_id,
                amount=cents(expense.amount),
                creditor=sepa.Party(name=name, iban=expense.payee_iban),
                remittance=sepa.latin(
                    _("Expense %(number)s: %(description)s")
                    % {"number": expense.number, "description": expense.description}
                )[: sepa.MAX_REMITTANCE],
            )
        )
        items.append(("expense", expense))
    for advance in advances:
        advance.end_to_end_id = _end_to_end_id(advance)
        payments.append(
            sepa.Payment(
                end_to_end_id=advance.end_to_end_id,
                amount=cents(advance.amount),
                creditor=sepa.Party(name=advance.holder.user.full_name, iban=advance.payee_iban),
                remittance=sepa.latin(
                    _("Advance %(number)s: %(purpose)s")
                    % {"number": advance.number, "purpose": advance.purpose}
                )[: sepa.MAX_REMITTANCE],
            )
        )
        items.append(("advance", advance))
    created_at = timezone.now()
    try:
        data = sepa.credit_transfer(
            sepa.Party(name=cooperative.name, iban=bank_account.iban),
            payments,
            message_id=message_id,
            execution_date=execution_date,
            created_at=timezone.localtime(created_at),
        )
    except sepa.SepaError as problem:
        raise DomainError(problem.text(_), field="items", code="sepa") from None
    total = sum((cents(item.amount) for _kind, item in items), cents(0))
    batch = PaymentBatch.objects.create(
        cooperative=cooperative,
        number=number,
        bank_account=bank_account,
        execution_date=execution_date,
        message_id=message_id,
        total=total,
        currency=cooperative.currency,
        item_count=len(items),
        file=data,
        file_sha256=hashlib.sha256(data).hexdigest(),
        created_by=membership,
        created_at=created_at,
    )
    currency = cooperative.currency
    per_account: dict[int, tuple[Account, Decimal]] = {}
    for expense in expenses:
        account, total_so_far = per_account.get(expense.budget_id, (expense.budget, cents(0)))
        per_account[expense.budget_id] = (account, total_so_far + cents(expense.amount))
    lines = [debit(account, Money(amount, currency)) for account, amount in per_account.values()]
    if advances:
        advanced = sum((cents(a.amount) for a in advances), cents(0))
        lines.append(debit(_advances_account(cooperative), Money(advanced, currency)))
    lines.append(credit(bank_account.ledger_account, Money(total, currency)))
    booked = post_transaction(
        cooperative,
        actor=actor,
        booking_date=execution_date,
        description=_("Payment batch %(number)s: %(count)s payments")
        % {"number": number, "count": len(items)},
        lines=lines,
        cause=batch,
        action=PAYMENT_BATCH_MADE,
        details={
            "batch": number,
            "message_id": message_id,
            "bank_account": bank_account.ledger_account.code,
            "file_sha256": batch.file_sha256,
            "total": str(total),
            "items": [
                {
                    "kind": kind,
                    "number": item.number,
                    "end_to_end_id": item.end_to_end_id,
                    "budget": item.budget.code,
                    "amount": str(cents(item.amount)),
                }
                for kind, item in items
            ],
        },
    )
    batch.transaction = booked
    batch.save(update_fields=["transaction"])
    for expense in expenses:
        expense.status = ExpenseStatus.PAID
        expense.batch = batch
        _set_history(expense, actor, "paid")
        expense.save(update_fields=["status", "batch", "end_to_end_id"])
    for advance in advances:
        advance.status = AdvanceStatus.PAID
        advance.batch = batch
        advance.paid_on = execution_date
        _set_history(advance, actor, "paid")
        advance.save(update_fields=["status", "batch", "end_to_end_id", "paid_on"])
    return batch


@transaction.atomic
def reconcile_payment(item, *, actor, line: BankLine):
    """The treasurer (or the matching of bank lines) marks a paid expense or advance as found
    on the bank statement: `line` is money out of the batch's bank account with the item's
    end-to-end id and amount. An expense becomes reconciled; each item is reconciled once.
    The line's own status is the matching's to set.

    A line without an end-to-end id (a bank that leaves it out) is taken for the item's payment
    when its amount is the item's, or the whole batch's: a bank may book a batch as one line,
    which is then the payment of each of the batch's items."""
    model = Expense if isinstance(item, Expense) else Advance
    cooperative = _lock_cooperative(item.cooperative)
    _require(actor, cooperative, Role.TREASURER)
    item = model.objects.select_for_update(of=("self",)).select_related("batch").get(pk=item.pk)
    if item.batch_id is None:
        raise DomainError(_("This has not been paid in a batch yet."), code="not_paid")
    if item.reconciled_line_id is not None:
        raise DomainError(
            _("This payment has already been found on the bank statement."),
            code="already_reconciled",
        )
    if (
        not isinstance(line, BankLine)
        or line.bank_account_id != item.batch.bank_account_id
        or not (
            (line.end_to_end_id in ("", item.end_to_end_id) and line.amount == -cents(item.amount))
            or (not line.end_to_end_id and line.amount == -cents(item.batch.total))
        )
    ):
        raise DomainError(
            _(
                "This bank line is not the payment of this item: the account, the end-to-end id or the amount differs."
            ),
            field="line",
            code="wrong_line",
        )
    _check_not_booked(line)
    item.reconciled_line = line
    fields = ["reconciled_line"]
    if model is Expense:
        item.status = ExpenseStatus.RECONCILED
        fields.append("status")
    _set_history(item, actor, "reconciled")
    item.save(update_fields=fields)
    append_event(
        cooperative,
        actor=actor,
        action=PAYMENT_RECONCILED,
        subject=item,
        payload={"end_to_end_id": item.end_to_end_id, "line": line.pk, "batch": item.batch.number},
    )
    return item


# Bank lines that pay our own payments, return an advance or bring a Stripe payout
#
# A line is booked at once only for a sure reason: money out with the end-to-end id and amount
# of a paid expense or advance, or with a batch's message id in its description and the batch's
# total (the bank booked the batch as one line); money in of exactly what an advance still owes,
# from its holder's account or with its payment number in the description; money in of exactly
# a payout in transit whose id is in the description, or near its expected day from Stripe.
# Anything less sure (a known account and the amount, an amount near the date) waits for the
# treasurer. Each booking is made by the service of what it pays, whose event is that booking's
# one event: `reconcile_payment` (`payment.reconciled`, once per item of a batch; the line
# points at the batch's transaction), `record_advance_return` (`advance.returned`) and
# `record_payout_arrival` (`stripe.payout_arrived`), both with the line as cause.

EXPENSE = "expense"
ADVANCE = "advance"
BATCH = "batch"
ADVANCE_RETURN = "advance_return"
PAYOUT = "payout"
_PAYMENT_KINDS = frozenset({EXPENSE, ADVANCE, BATCH, ADVANCE_RETURN, PAYOUT})
# A payout's line names Stripe as the payer or in its description.
_STRIPE = re.compile(r"\bstripe\b", re.IGNORECASE)


@dataclass
class _OpenPayments:
    """What bank lines may pay besides subscriptions and streams, by key for matching. A batch
    is listed (with its items) only while none of its items has been found on its own."""

    expenses: dict
    advances: dict
    batches: dict
    returns: dict
    payouts: dict


def _open_payments(cooperative) -> _OpenPayments:
    """Read under the cooperative's lock, which every service that pays, settles, reconciles or
    books these items takes first: what is read here stays true while matching books."""
    from wijkbv.payments.selectors import payouts_in_transit

    expenses = {
        str(each.pk): each
        for each in Expense.objects.filter(
            cooperative=cooperative, status=ExpenseStatus.PAID, reconciled_line__isnull=True
        ).select_related("batch")
    }
    advances = {
        str(each.pk): each
        for each in Advance.objects.filter(
            cooperative=cooperative, batch__isnull=False, reconciled_line__isnull=True
        ).select_related("batch")
    }
    batches: dict[str, tuple[PaymentBatch, list]] = {}
    for item in (*expenses.values(), *advances.values()):
        batches.setdefault(str(item.batch_id), (item.batch, []))[1].append(item)
    returns = {
        str(each.pk): each
        for each in Advance.objects.filter(
            cooperative=cooperative, status=AdvanceStatus.OWED, to_return__gt=0
        )
    }
    return _OpenPayments(
        expenses=expenses,
        advances=advances,
        # A batch of one is found as its one item.
        batches={
            key: held
            for key, held in batches.items()
            if len(held[1]) == held[0].item_count and held[0].item_count > 1
        },
        returns=returns,
        payouts={str(each.pk): each for each in payouts_in_transit(cooperative)},
    )


def _payment_items(payments: _OpenPayments) -> list[matching.OpenItem]:
    def ibans(iban):
        return frozenset({iban}) if iban else frozenset()

    items = [
        matching.OpenItem(
            kind=kind,
            key=key,
            amount=-cents(each.amount),
            end_to_end_id=each.end_to_end_id,
            ibans=ibans(each.payee_iban),
            due=each.batch.execution_date,
        )
        for kind, found in ((EXPENSE, payments.expenses), (ADVANCE, payments.advances))
        for key, each in found.items()
    ]
    items += [
        matching.OpenItem(
            kind=BATCH,
            key=key,
            amount=-cents(batch.total),
            reference=batch.message_id,
            due=batch.execution_date,
        )
        for key, (batch, _items) in payments.batches.items()
    ]
    items += [
        matching.OpenItem(
            kind=ADVANCE_RETURN,
            key=key,
            amount=cents(each.to_return),
            # The id the holder saw on the advance's payment, asked back in the description.
            reference=each.end_to_end_id,
            ibans=ibans(each.payee_iban),
            due=timezone.localdate(each.settled_at) if each.settled_at else None,
        )
        for key, each in payments.returns.items()
    ]
    items += [
        matching.OpenItem(
            kind=PAYOUT,
            key=key,
            amount=cents(each.amount.amount),
            reference=each.stripe_id,
            due=each.arrival_date,
        )
        for key, each in payments.payouts.items()
    ]
    return items


def _sure_payment(line: BankLine, suggestions) -> matching.Match | None:
    """The match of one of these kinds to book without asking, or None."""
    sure = matching.confident(suggestions)
    if sure is not None:
        if sure.kind in (EXPENSE, ADVANCE):
            # A known account and the amount are not enough: the payment number must be there.
            return sure if sure.reason == matching.END_TO_END else None
        if sure.kind == BATCH:
            return sure if sure.reason == matching.REFERENCE else None
        return sure if sure.kind in (ADVANCE_RETURN, PAYOUT) else None
    matches = suggestions.matches
    if (
        matches
        and suggestions.claimed_by is None
        and matches[0].kind == PAYOUT
        and matches[0].reason == matching.AMOUNT_DATE
        and (len(matches) == 1 or matches[1].confidence < matches[0].confidence)
        and _STRIPE.search(f"{line.counterparty_name} {line.remittance}")
    ):
        return matches[0]
    return None


def _book_payment(line: BankLine, suggestions, payments: _OpenPayments, *, actor):
    """Books `line` through the service of what it surely pays, or returns None and the line
    waits with its suggestion. Everything the service would refuse is checked first, so that
    no refusal undoes the run; what is booked leaves `payments`, so it is booked once."""
    sure = _sure_payment(line, suggestions)
    if sure is None:
        return None
    key = sure.item_key
    if sure.kind in (EXPENSE, ADVANCE):
        item = (payments.expenses if sure.kind == EXPENSE else payments.advances).get(key)
        if (
            item is None
            or item.reconciled_line_id is not None
            or line.bank_account_id != item.batch.bank_account_id
            or line.end_to_end_id != item.end_to_end_id
            or line.amount != -cents(item.amount)
        ):
            return None
        return _reconcile_all(line, [item], actor=actor)
    if sure.kind == BATCH:
        batch, items = payments.batches.get(key, (None, ()))
        if (
            batch is None
            or any(item.reconciled_line_id is not None for item in items)
            or line.bank_account_id != batch.bank_account_id
            or line.end_to_end_id
            or line.amount != -cents(batch.total)
        ):
            return None
        return _reconcile_all(line, items, actor=actor)
    if sure.kind == ADVANCE_RETURN:
        advance = payments.returns.get(key)
        if (
            advance is None
            or line.amount != cents(advance.to_return)
            or line.currency != advance.currency
            or line.booking_date > timezone.localdate()
        ):
            return None
        del payments.returns[key]
        return record_advance_return(advance, actor=actor, line=line)
    payout = payments.payouts.get(key)
    bank = line.bank_account.ledger_account
    if (
        payout is None
        or line.amount != cents(payout.amount.amount)
        or line.currency != payout.amount.currency.code
        or bank.purpose != Purpose.BANK
        or bank.currency != line.currency
    ):
        return None
    del payments.payouts[key]
    return _book_payout(line, int(key), actor=actor)


def _reconcile_all(line: BankLine, items: list, *, actor):
    """Each item reconciled with `line`; the line points at their batch's transaction."""
    for item in items:
        reconcile_payment(item, actor=actor, line=line)
        item.reconciled_line_id = line.pk
    return items[0].batch.transaction


def _book_payout(line: BankLine, pk: int, *, actor):
    from wijkbv.payments.models import Payout
    from wijkbv.payments.services import record_payout_arrival

    cooperative_id = line.bank_account.cooperative_id
    payout = Payout.objects.filter(cooperative_id=cooperative_id, pk=pk).first()
    if payout is None:
        raise DomainError(
            _("The suggested Stripe payout no longer exists."), code="suggestion_gone"
        )
    return record_payout_arrival(
        payout,
        actor=actor,
        bank_ledger_account=line.bank_account.ledger_account,
        booked_on=line.booking_date,
        amount=Money(line.amount, line.currency),
        cause=line,
        details={"line": line.pk},
    )


def _accept_payment(line: BankLine, cooperative, *, actor):
    """The treasurer has looked: the suggested payment, advance or payout is booked with the
    line through its service, which refuses what does not fit (another amount, an item found
    on the statement already)."""
    kind, key = line.suggested_kind, line.suggested_key
    gone = DomainError(
        _("The suggested payment is no longer waiting for this bank line."),
        code="suggestion_gone",
    )
    if not key.isdigit():
        raise gone
    if kind == PAYOUT:
        return _book_payout(line, int(key), actor=actor)
    if kind == BATCH:
        batch = PaymentBatch.objects.filter(cooperative=cooperative, pk=int(key)).first()
        if batch is None:
            raise gone
        items = [*batch.expenses.order_by("number"), *batch.advances.order_by("number")]
        if any(item.reconciled_line_id is not None for item in items):
            raise DomainError(
                _(
                    "Part of this batch has already been found on the bank statement, so this "
                    "line is not the whole batch."
                ),
                code="already_reconciled",
            )
        return _reconcile_all(line, items, actor=actor)
    model = Expense if kind == EXPENSE else Advance
    item = model.objects.filter(cooperative=cooperative, pk=int(key)).first()
    if item is None:
        raise gone
    if kind == ADVANCE_RETURN:
        return record_advance_return(item, actor=actor, line=line)
    return _reconcile_all(line, [item], actor=actor)
