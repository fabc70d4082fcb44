"""/api/v1/c/<slug>/budgets/: funding streams and the money they have left, proposals and the
board's check, votes (opening, ballots with receipts, paper ballots, proxies, closing, results
and the published ballot list), agreements, and closing the year.

Amounts are strings with two decimals ("1500.00"). People are named by member number only, and
proposals by their number in the cooperative: a budget ballot approves proposal numbers, as
strings ("3"), the same ids the published ballots and the tally use.

Secrecy: no answer links a member to what was voted. A member's place in a vote says whether
they voted, never how; the published ballots carry a receipt (tracker), never a member. Only an
open (roll-call) vote, once closed, lists who voted what.
"""

from decimal import Decimal

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from budgets import explain, selectors, services, suggestions
from budgets.models import (
    Agreement,
    BankAccount,
    BankLine,
    BankLineStatus,
    BankStatement,
    Electorate,
    FundingStream,
    Proposal,
    ProposalStatus,
    Rule,
    Secrecy,
    StatementImport,
    Theme,
    Threshold,
    Vote,
    VoteKind,
    Weighting,
    YesNo,
)
from budgets.statements import csvfile
from budgets.statements import model as statement_model
from members.models import Membership, PartnerOrganisation, Place, Role
from members.permissions import CooperativeRolePermission
from wijkbv.api import AutoSchema, ErrorSerializer
from wijkbv.errors import DomainError
from wijkbv.ledger.models import Transaction

MAX_INT = 2**31 - 1
MAX_AMOUNT = services.MAX_AMOUNT
# A budget ballot approves at most this many proposals; a vote never has more.
MAX_APPROVALS = 1000


def _id(**options):
    return serializers.IntegerField(min_value=1, max_value=MAX_INT, **options)


def _amount(**options):
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_AMOUNT, **options
    )


def _money(value) -> str | None:
    """A djmoney Money as "1500.00"; None stays None."""
    return None if value is None else f"{value.amount:.2f}"


def _one_of(choices) -> str:
    return "One of: " + ", ".join(choices.values) + "."


# Funding streams


class FundingStreamSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Null for the reinvestment reserve.")
    name = serializers.CharField()
    funder = serializers.IntegerField(allow_null=True)
    funder_name = serializers.CharField(allow_null=True)
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    earmark = serializers.ListField(
        child=serializers.CharField(),
        help_text="Themes the money may be spent on; empty: free to spend. " + _one_of(Theme),
    )
    conditions = serializers.CharField()
    reporting = serializers.CharField()
    payer_iban = serializers.CharField(
        help_text="The account the funder pays from (compact); empty when not known."
    )
    currency = serializers.CharField()
    committed = serializers.CharField(allow_null=True, help_text="Null for the reserve.")
    received = serializers.CharField(help_text="Money the funder has sent so far.")
    allocated = serializers.CharField(help_text="Moved to project budgets by decisions.")
    in_fund = serializers.CharField(help_text="Received and not yet allocated.")
    reserved = serializers.CharField(help_text="Promised to votes still running.")
    left = serializers.CharField(help_text="In the fund and not promised: what can be decided.")

    def to_representation(self, summary):
        stream = summary.stream
        return {
            "id": stream.pk if stream else None,
            "name": str(summary.name),
            "funder": stream.funder_id if stream else None,
            "funder_name": stream.funder.name if stream else None,
            "starts_on": stream.starts_on.isoformat() if stream else None,
            "ends_on": stream.ends_on.isoformat() if stream else None,
            "earmark": list(stream.earmark) if stream else [],
            "conditions": stream.conditions if stream else "",
            "reporting": stream.reporting if stream else "",
            "payer_iban": stream.payer_iban if stream else "",
            "currency": summary.in_fund.currency.code,
            "committed": _money(summary.committed),
            "received": _money(summary.received),
            "allocated": _money(summary.allocated),
            "in_fund": _money(summary.in_fund),
            "reserved": _money(summary.reserved),
            "left": _money(summary.left),
        }


class AddStreamSerializer(serializers.Serializer):
    funder = _id(help_text="The partner organisation that gives the money: its id.")
    name = serializers.CharField(max_length=150)
    committed = _amount(help_text="The amount the funder committed, such as 25000.00.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    earmark = serializers.ListField(
        child=serializers.ChoiceField(choices=Theme.choices),
        required=False,
        default=list,
        max_length=len(Theme.values),
        help_text="The themes it may be spent on; empty or left out: free to spend.",
    )
    conditions = serializers.CharField(
        max_length=services.MAX_TEXT, required=False, allow_blank=True, default=""
    )
    reporting = serializers.CharField(
        max_length=services.MAX_TEXT, required=False, allow_blank=True, default=""
    )
    payer_iban = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        default="",
        help_text="The account the funder pays from, such as NL39 RABO 0300 0652 64: its "
        "payments are then booked for this stream when bank lines are matched.",
    )


class StreamReceiptSerializer(serializers.Serializer):
    amount = _amount()
    received_on = serializers.DateField(required=False, help_text="Today when not given.")
    description = serializers.CharField(
        max_length=services.MAX_REASON, required=False, allow_blank=True, default=""
    )


# Proposals


class ProposalSerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text=_one_of(ProposalStatus))
    status_label = serializers.CharField(source="get_status_display")
    theme = serializers.CharField(help_text=_one_of(Theme))
    theme_label = serializers.CharField(source="get_theme_display")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    stream = serializers.IntegerField(
        source="stream_id", allow_null=True, help_text="Null: the reinvestment reserve."
    )
    place = serializers.IntegerField(source="place_id", allow_null=True)
    proposed_by = serializers.IntegerField(
        source="proposed_by.member_number", help_text="The proposer's member number."
    )
    reason = serializers.CharField(
        source="refusal_reason", help_text="Why the board found it not eligible."
    )

    class Meta:
        model = Proposal
        fields = [
            "number",
            "title",
            "description",
            "amount",
            "currency",
            "stream",
            "theme",
            "theme_label",
            "place",
            "working_group",
            "proposed_by",
            "status",
            "status_label",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


class ProposeSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=services.MAX_TITLE)
    description = serializers.CharField(max_length=services.MAX_DESCRIPTION)
    amount = _amount(help_text="What the project needs, such as 1500.00.")
    theme = serializers.ChoiceField(choices=Theme.choices)
    stream = _id(
        required=False,
        allow_null=True,
        default=None,
        help_text="The funding stream's id; null or left out: the reinvestment reserve.",
    )
    place = _id(required=False, allow_null=True, default=None)
    working_group = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )


class ProposalCheckSerializer(serializers.Serializer):
    eligible = serializers.BooleanField(help_text="Whether the proposal can be voted on.")
    reason = serializers.CharField(
        max_length=services.MAX_REASON,
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed when it is not eligible: the proposer reads it.",
    )


class ProposalsQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProposalStatus.choices, required=False)


# Votes


class VoteProposalSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class VoteSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text=_one_of(VoteKind))
    rule = serializers.CharField(help_text="For a participatory budget: " + _one_of(Rule))
    rule_label = serializers.CharField(source="get_rule_display")
    electorate = serializers.CharField(help_text=_one_of(Electorate))
    weighting = serializers.CharField(help_text=_one_of(Weighting))
    secrecy = serializers.CharField(help_text=_one_of(Secrecy))
    threshold = serializers.CharField(help_text="For a yes/no vote: " + _one_of(Threshold))
    state = serializers.CharField(help_text="One of: scheduled, open, to_close, closed.")
    stream = serializers.IntegerField(
        source="stream_id", allow_null=True, help_text="Null: the reinvestment reserve."
    )
    budget_limit = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    proposals = VoteProposalSerializer(many=True)
    outcome = serializers.CharField(help_text="Empty until the vote is closed.")

    class Meta:
        model = Vote
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "rule",
            "rule_label",
            "electorate",
            "weighting",
            "secrecy",
            "opens_at",
            "closes_at",
            "quorum",
            "threshold",
            "stream",
            "budget_limit",
            "proposals",
            "state",
            "electorate_size",
            "electorate_weight",
            "closed_at",
            "outcome",
        ]
        read_only_fields = fields

    def to_representation(self, vote):
        data = super().to_representation(vote)
        data["proposals"] = sorted(data["proposals"], key=lambda proposal: proposal["number"])
        return data


class HeldProxySerializer(serializers.Serializer):
    member_number = serializers.IntegerField(source="membership.member_number")
    voted = serializers.BooleanField(help_text="Whether a ballot counts for them yet.")


class MyPlaceSerializer(serializers.Serializer):
    may_vote = serializers.BooleanField(help_text="On the list of voters fixed at the opening.")
    voted = serializers.BooleanField(source="has_voted", help_text="Never what was voted.")
    weight = serializers.SerializerMethodField()
    proxy_given_to = serializers.SerializerMethodField(
        help_text="The member number of who holds one's proxy, if anyone."
    )
    proxies_held = HeldProxySerializer(many=True, help_text="Whose proxy one holds.")

    def get_weight(self, place) -> int:
        return place.voter.weight if place.voter else 0

    def get_proxy_given_to(self, place) -> int | None:
        holder = place.gave_proxy_to
        return holder.member_number if holder else None


class TurnoutSerializer(serializers.Serializer):
    voters = serializers.IntegerField(help_text="On the list of voters.")
    votes = serializers.IntegerField(help_text="Their votes together, weights counted.")
    voted = serializers.IntegerField()
    votes_cast = serializers.IntegerField()


class VoteDetailSerializer(VoteSerializer):
    """A vote with the asking member's place in it and the turnout so far (counts only)."""

    explanation = serializers.ListField(
        child=serializers.CharField(),
        help_text="How this vote is decided, in a few plain sentences in the asker's language.",
    )
    my_place = MyPlaceSerializer()
    turnout = TurnoutSerializer()

    class Meta(VoteSerializer.Meta):
        fields = [*VoteSerializer.Meta.fields, "explanation", "my_place", "turnout"]
        read_only_fields = fields


class OpenVoteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=services.MAX_QUESTION, help_text="The question.")
    description = serializers.CharField(
        max_length=services.MAX_DESCRIPTION, required=False, allow_blank=True, default=""
    )
    kind = serializers.ChoiceField(choices=VoteKind.choices)
    electorate = serializers.ChoiceField(choices=Electorate.choices)
    weighting = serializers.ChoiceField(choices=Weighting.choices)
    secrecy = serializers.ChoiceField(choices=Secrecy.choices, default=Secrecy.SECRET)
    opens_at = serializers.DateTimeField(required=False, help_text="Now when not given.")
    closes_at = serializers.DateTimeField()
    quorum = serializers.IntegerField(
        min_value=0, max_value=100, default=0, help_text="Percent of the votes that must take part."
    )
    rule = serializers.ChoiceField(
        choices=Rule.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="For a participatory budget: how it is counted.",
    )
    threshold = serializers.ChoiceField(
        choices=Threshold.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="For a yes/no vote: the majority needed.",
    )
    stream = _id(
        required=False,
        allow_null=True,
        default=None,
        help_text="The funding stream the money comes from; null: the reinvestment reserve.",
    )
    budget_limit = _amount(
        required=False, allow_null=True, default=None, help_text="For a participatory budget."
    )
    proposals = serializers.ListField(
        child=_id(),
        required=False,
        default=list,
        max_length=MAX_APPROVALS,
        help_text="Proposal numbers: one at most for a yes/no vote, two or more for a budget.",
    )


class BallotContentSerializer(serializers.Serializer):
    """What a ballot says, online or on paper."""

    choice = serializers.CharField(
        max_length=8,
        required=False,
        allow_blank=True,
        default="",
        help_text="For a yes/no vote: " + _one_of(YesNo),
    )
    approvals = serializers.ListField(
        child=serializers.CharField(max_length=12),
        required=False,
        allow_null=True,
        default=None,
        max_length=MAX_APPROVALS,
        help_text="For a participatory budget: the numbers of the proposals one supports, such as "
        '["1", "3"], costing together at most the budget.',
    )


class CastBallotSerializer(BallotContentSerializer):
    for_member = _id(
        required=False,
        allow_null=True,
        default=None,
        help_text="Voting with a proxy: the member number of who gave it.",
    )


class BallotReceiptSerializer(serializers.Serializer):
    tracker = serializers.CharField(
        help_text="Find your ballot with this in the ballots published when the vote closes."
    )
    nonce = serializers.CharField(
        help_text="With the ballot's content, hashes to the tracker: keep it to check."
    )
    replaced = serializers.BooleanField(help_text="This ballot replaced an earlier one.")


class PaperBallotSerializer(BallotContentSerializer):
    member_number = _id(help_text="The member who filled in the paper ballot.")
    place = _id(help_text="The place where it was filled in: its id.")


class GiveProxySerializer(serializers.Serializer):
    to_member_number = _id(help_text="The member who will vote for you in this vote.")


class LossSerializer(serializers.Serializer):
    reason = serializers.CharField(
        help_text="One of: no_supporters, did_not_fit, supporters_short."
    )
    cost = serializers.CharField()
    supporters = serializers.IntegerField(help_text="Votes for it, weights counted.")
    supporters_money = serializers.CharField(
        allow_null=True, help_text="Equal shares: what its supporters had left together."
    )
    money_left = serializers.CharField(
        allow_null=True, help_text="What was left of the budget when its turn came."
    )
    spent_on = serializers.DictField(
        child=serializers.CharField(),
        help_text="Equal shares: what its supporters paid, per proposal number that won.",
    )


class ProjectResultSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    amount = serializers.CharField()
    approvals = serializers.IntegerField(help_text="Votes for it, weights counted.")
    adopted = serializers.BooleanField()
    loss = LossSerializer(allow_null=True, help_text="Why it was not chosen, in numbers.")
    why_lost = serializers.ListField(
        child=serializers.CharField(), help_text="Why it was not chosen, in plain sentences."
    )


class YesNoTotalsSerializer(serializers.Serializer):
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()


class FinalTurnoutSerializer(TurnoutSerializer):
    paper = serializers.IntegerField(help_text="Voters who voted on paper.")
    proxy = serializers.IntegerField(help_text="Voters whose proxy voted for them.")


class RollCallLineSerializer(serializers.Serializer):
    member_number = serializers.IntegerField()
    choice = serializers.CharField()
    approvals = serializers.ListField(child=serializers.CharField())


class VoteResultsSerializer(serializers.Serializer):
    vote = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text=_one_of(VoteKind))
    rule = serializers.CharField()
    rule_label = serializers.CharField()
    rule_explanation = serializers.CharField(help_text="The counting rule in plain words.")
    outcome = serializers.CharField(
        help_text="One of: adopted, rejected, no_quorum, budget_decided."
    )
    outcome_label = serializers.CharField()
    closed_at = serializers.DateTimeField()
    quorum = serializers.IntegerField()
    quorum_met = serializers.BooleanField()
    totals = YesNoTotalsSerializer(allow_null=True, help_text="For a yes/no vote.")
    budget_limit = serializers.CharField(allow_null=True)
    spent = serializers.CharField(allow_null=True, help_text="What the winners cost together.")
    winners = serializers.ListField(
        child=serializers.CharField(), help_text="Proposal numbers, in the order the rule chose."
    )
    adopted = serializers.ListField(child=serializers.IntegerField())
    projects = ProjectResultSerializer(many=True)
    turnout = FinalTurnoutSerializer()
    roll_call = RollCallLineSerializer(
        many=True, allow_null=True, help_text="Only for an open (roll-call) vote; else null."
    )


class PublishedBallotSerializer(serializers.Serializer):
    """One final ballot of a closed vote: what was voted, never by whom.

    Not how it was cast: the audit chain names who voted on paper or by proxy, so a ballot
    marked "paper" in a vote with one paper voter would say whose it is. The turnout counts
    paper and proxy ballots instead."""

    tracker = serializers.CharField()
    choice = serializers.CharField()
    approvals = serializers.ListField(child=serializers.CharField())
    weight = serializers.IntegerField()


# Agreements and the year


class AgreementSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal.number")
    proposal_title = serializers.CharField(source="proposal.title")
    responsible = serializers.IntegerField(
        source="responsible.member_number", help_text="The member number of who does it."
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "proposal",
            "proposal_title",
            "what",
            "responsible",
            "due_on",
            "done_on",
            "created_at",
        ]
        read_only_fields = fields


class MakeAgreementSerializer(serializers.Serializer):
    proposal = _id(help_text="The adopted proposal's number.")
    what = serializers.CharField(max_length=services.MAX_WHAT)
    responsible = _id(help_text="The member number of who does it.")
    due_on = serializers.DateField()


class CloseYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1901, max_value=2999)


class ClosedYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    result = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    closed_at = serializers.DateTimeField()


# Finding what a request names, in the request's cooperative only.


def _member(cooperative, number, field: str) -> Membership | None:
    if number is None:
        return None
    found = Membership.objects.filter(cooperative=cooperative, member_number=number).first()
    if found is None:
        raise DomainError(
            _("There is no member with this number."), field=field, code="not_a_member"
        )
    return found


def _own(model, cooperative, pk, field: str, message: str):
    """The row of `model` with this id in the cooperative; None stays None."""
    if pk is None:
        return None
    found = model.objects.filter(cooperative=cooperative, pk=pk).first()
    if found is None:
        raise DomainError(message, field=field, code="not_found")
    return found


def _stream(cooperative, pk):
    return _own(
        FundingStream,
        cooperative,
        pk,
        "stream",
        _("Choose one of this cooperative's funding streams, or the reserve."),
    )


def _proposal_numbered(cooperative, number, field: str) -> Proposal:
    found = Proposal.objects.filter(cooperative=cooperative, number=number).first()
    if found is None:
        raise DomainError(_("Choose proposals of this cooperative."), field=field)
    return found


def _proposal(request, number) -> Proposal:
    return get_object_or_404(selectors.proposals(request.cooperative), number=number)


def _vote(request, pk) -> Vote:
    return get_object_or_404(
        selectors.votes(request.cooperative)
        .select_related("cooperative")
        .prefetch_related("proposals"),
        pk=pk,
    )


def _closed_vote(request, pk) -> Vote:
    vote = _vote(request, pk)
    if not vote.is_closed:
        raise DomainError(
            _("The results and ballots are published when the vote has been closed."),
            code="not_closed",
        )
    return vote


def _with_place(vote: Vote, membership) -> Vote:
    vote.explanation = explain.vote_explanation(vote)
    vote.my_place = selectors.my_place(vote, membership)
    vote.turnout = selectors.turnout(vote)
    return vote


def _results(vote: Vote) -> dict:
    """The decision as the tally recorded it, per proposal, with the turnout; for an open
    (roll-call) vote also who voted what."""
    tally = vote.tally or {}
    winners = list(tally.get("winners", []))
    adopted = set(tally.get("adopted", []))
    approvals = tally.get("approvals", {})
    losses = tally.get("losses", {})
    proposals = sorted(vote.proposals.all(), key=lambda p: p.number)
    titles = {p.tally_id: p.title for p in proposals}
    currency = vote.cooperative.currency
    projects = [
        {
            "number": p.number,
            "title": p.title,
            "amount": f"{p.amount:.2f}",
            "approvals": approvals.get(p.tally_id, 0),
            "adopted": p.number in adopted,
            "loss": losses.get(p.tally_id),
            "why_lost": explain.loss_sentences(losses[p.tally_id], titles, currency)
            if p.tally_id in losses
            else [],
        }
        for p in proposals
    ]
    roll_call = None
    if vote.secrecy == Secrecy.OPEN:
        roll_call = [
            {
                "member_number": voter.membership.member_number,
                "choice": voter.roll_call.ballot.choice,
                "approvals": voter.roll_call.ballot.approvals,
            }
            for voter in selectors.roll_call(vote)
        ]
    return {
        "vote": vote.pk,
        "title": vote.title,
        "kind": vote.kind,
        "rule": vote.rule,
        "rule_label": vote.get_rule_display(),
        "rule_explanation": explain.rule_explanation(vote.rule),
        "outcome": vote.outcome,
        "outcome_label": vote.get_outcome_display(),
        "closed_at": vote.closed_at,
        "quorum": vote.quorum,
        "quorum_met": bool(tally.get("quorum_met")),
        "totals": tally.get("totals"),
        "budget_limit": f"{vote.budget_limit:.2f}" if vote.budget_limit is not None else None,
        "spent": tally.get("spent"),
        "winners": winners,
        "adopted": sorted(adopted),
        "projects": projects,
        "turnout": tally.get("turnout", {}),
        "roll_call": roll_call,
    }


def _ballot(data) -> dict:
    return {"choice": data["choice"], "approvals": data["approvals"]}


class CooperativeAPIView(APIView):
    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]


class CooperativeListView(generics.GenericAPIView):
    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]


# Views: funding streams


class StreamsView(CooperativeAPIView):
    """Every funding stream, and last the reinvestment reserve, with what was committed,
    received, allocated and is left to decide on: for every member, funders included. The
    board or the treasurer adds a stream."""

    @extend_schema(responses=FundingStreamSerializer(many=True))
    def get(self, request, slug):
        summaries = selectors.stream_summaries(request.cooperative)
        return Response(FundingStreamSerializer(summaries, many=True).data)

    @extend_schema(request=AddStreamSerializer, responses={201: FundingStreamSerializer})
    def post(self, request, slug):
        serializer = AddStreamSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["funder"] = _own(
            PartnerOrganisation,
            request.cooperative,
            data["funder"],
            "funder",
            _("Choose one of this cooperative's partner organisations as the funder."),
        )
        stream = services.add_funding_stream(request.cooperative, actor=request.user, **data)
        return Response(
            FundingStreamSerializer(selectors.stream_summary(stream)).data,
            status=status.HTTP_201_CREATED,
        )


class StreamReceiptsView(CooperativeAPIView):
    """The treasurer records money a funder sent for a stream: from the bank into its fund.
    The answer is the stream with its new amounts."""

    @extend_schema(request=StreamReceiptSerializer, responses={201: FundingStreamSerializer})
    def post(self, request, slug, pk):
        stream = get_object_or_404(selectors.streams(request.cooperative), pk=pk)
        serializer = StreamReceiptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_stream_receipt(stream, actor=request.user, **serializer.validated_data)
        return Response(
            FundingStreamSerializer(selectors.stream_summary(stream)).data,
            status=status.HTTP_201_CREATED,
        )


# Views: proposals


class ProposalsView(CooperativeListView):
    """The cooperative's proposals, newest first (`status=submitted`: those waiting for the
    board's check). A resident proposes a project."""

    serializer_class = ProposalSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=ProposalStatus.values,
                description="Only the proposals with this status.",
            )
        ],
        responses={200: ProposalSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request, slug):
        query = ProposalsQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise DomainError(_("Choose a status from the list."), field="status", code="invalid")
        found = selectors.proposals(request.cooperative, status=query.validated_data.get("status"))
        page = self.paginate_queryset(found)
        return self.get_paginated_response(ProposalSerializer(page, many=True).data)

    @extend_schema(request=ProposeSerializer, responses={201: ProposalSerializer})
    def post(self, request, slug):
        serializer = ProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        cooperative = request.cooperative
        data["stream"] = _stream(cooperative, data["stream"])
        data["place"] = _own(
            Place,
            cooperative,
            data["place"],
            "place",
            _("Choose one of this cooperative's places."),
        )
        proposal = services.submit_proposal(cooperative, actor=request.user, **data)
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class ProposalView(CooperativeAPIView):
    """One proposal, by its number."""

    @extend_schema(responses=ProposalSerializer)
    def get(self, request, slug, number):
        return Response(ProposalSerializer(_proposal(request, number)).data)


class WithdrawProposalView(CooperativeAPIView):
    """The proposer (or the board) withdraws a proposal that no vote has yet."""

    @extend_schema(request=None, responses=ProposalSerializer)
    def post(self, request, slug, number):
        proposal = services.withdraw_proposal(_proposal(request, number), actor=request.user)
        return Response(ProposalSerializer(_proposal(request, proposal.number)).data)


class CheckProposalView(CooperativeAPIView):
    """The board decides whether a proposal can be voted on: within its stream's earmark and
    the money left. Not eligible needs a reason, which the proposer reads."""

    @extend_schema(request=ProposalCheckSerializer, responses=ProposalSerializer)
    def post(self, request, slug, number):
        proposal = _proposal(request, number)
        serializer = ProposalCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.check_proposal(proposal, actor=request.user, **serializer.validated_data)
        return Response(ProposalSerializer(_proposal(request, number)).data)


# Views: votes


class VotesView(CooperativeListView):
    """The cooperative's votes, newest first. The board opens one: who may vote and with how
    many votes is fixed at that moment."""

    serializer_class = VoteSerializer

    @extend_schema(responses=VoteSerializer(many=True))
    def get(self, request, slug):
        found = selectors.votes(request.cooperative).prefetch_related("proposals")
        page = self.paginate_queryset(found)
        return self.get_paginated_response(VoteSerializer(page, many=True).data)

    @extend_schema(request=OpenVoteSerializer, responses={201: VoteDetailSerializer})
    def post(self, request, slug):
        serializer = OpenVoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        cooperative = request.cooperative
        data["stream"] = _stream(cooperative, data["stream"])
        data["proposals"] = [
            _proposal_numbered(cooperative, number, "proposals") for number in data["proposals"]
        ]
        data.setdefault("opens_at", timezone.now())
        vote = services.open_vote(cooperative, actor=request.user, **data)
        vote = _with_place(_vote(request, vote.pk), request.membership)
        return Response(VoteDetailSerializer(vote).data, status=status.HTTP_201_CREATED)


class VoteView(CooperativeAPIView):
    """One vote, with the asking member's place in it (may they vote, have they, whose proxy
    they hold or gave) and the turnout so far. Never what anyone voted."""

    @extend_schema(responses=VoteDetailSerializer)
    def get(self, request, slug, pk):
        vote = _with_place(_vote(request, pk), request.membership)
        return Response(VoteDetailSerializer(vote).data)


class BallotView(CooperativeAPIView):
    """Cast one's ballot (or, with `for_member`, the ballot of a member whose proxy one holds):
    `choice` for a yes/no vote, `approvals` for a participatory budget. Voting again before the
    close replaces the earlier ballot. The answer is the receipt."""

    @extend_schema(request=CastBallotSerializer, responses={201: BallotReceiptSerializer})
    def post(self, request, slug, pk):
        vote = _vote(request, pk)
        serializer = CastBallotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        receipt = services.cast_ballot(
            vote,
            actor=request.user,
            for_member=_member(request.cooperative, data["for_member"], "for_member"),
            **_ballot(data),
        )
        return Response(BallotReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)


class PaperBallotView(CooperativeAPIView):
    """A coordinator (or the board) enters a ballot a member filled in on paper at a place."""

    @extend_schema(request=PaperBallotSerializer, responses={201: BallotReceiptSerializer})
    def post(self, request, slug, pk):
        vote = _vote(request, pk)
        serializer = PaperBallotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cooperative = request.cooperative
        receipt = services.enter_paper_ballot(
            vote,
            actor=request.user,
            member=_member(cooperative, data["member_number"], "member_number"),
            place=_own(
                Place,
                cooperative,
                data["place"],
                "place",
                _("Choose the place where the ballot was filled in."),
            ),
            **_ballot(data),
        )
        return Response(BallotReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)


class ProxyView(CooperativeAPIView):
    """Give one's proxy for this vote to another voter, or take it back (DELETE). The answer is
    one's place in the vote."""

    @extend_schema(request=GiveProxySerializer, responses={201: MyPlaceSerializer})
    def post(self, request, slug, pk):
        vote = _vote(request, pk)
        serializer = GiveProxySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        to = _member(
            request.cooperative, serializer.validated_data["to_member_number"], "to_member_number"
        )
        services.give_proxy(vote, actor=request.user, to=to)
        place = selectors.my_place(vote, request.membership)
        return Response(MyPlaceSerializer(place).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: MyPlaceSerializer, 400: ErrorSerializer})
    def delete(self, request, slug, pk):
        vote = _vote(request, pk)
        services.withdraw_proxy(vote, actor=request.user)
        return Response(MyPlaceSerializer(selectors.my_place(vote, request.membership)).data)


class CloseVoteView(CooperativeAPIView):
    """The board closes a vote after its closing time: the ballots are counted, the decision
    recorded, and the adopted proposals' money moved to their budgets. The answer is the
    result."""

    @extend_schema(request=None, responses=VoteResultsSerializer)
    def post(self, request, slug, pk):
        services.close_vote(_vote(request, pk), actor=request.user)
        return Response(VoteResultsSerializer(_results(_vote(request, pk))).data)


class ResultsView(CooperativeAPIView):
    """The decision of a closed vote: the count per proposal (and why each lost), the
    winners, the turnout."""

    @extend_schema(responses={200: VoteResultsSerializer, 400: ErrorSerializer})
    def get(self, request, slug, pk):
        return Response(VoteResultsSerializer(_results(_closed_vote(request, pk))).data)


class BallotsView(CooperativeListView):
    """Every final ballot of a closed vote, ordered by tracker, so each voter can find theirs
    and anyone can count again. No ballot says whose it is."""

    serializer_class = PublishedBallotSerializer

    @extend_schema(responses={200: PublishedBallotSerializer(many=True), 400: ErrorSerializer})
    def get(self, request, slug, pk):
        ballots = selectors.published_ballots(_closed_vote(request, pk))
        page = self.paginate_queryset(ballots.only("tracker", "choice", "approvals", "weight"))
        return self.get_paginated_response(PublishedBallotSerializer(page, many=True).data)


# Views: agreements and the year


class AgreementsView(CooperativeListView):
    """Who does what by when for the adopted proposals. The board or a coordinator makes an
    agreement."""

    serializer_class = AgreementSerializer

    @extend_schema(responses=AgreementSerializer(many=True))
    def get(self, request, slug):
        page = self.paginate_queryset(selectors.agreements(request.cooperative))
        return self.get_paginated_response(AgreementSerializer(page, many=True).data)

    @extend_schema(request=MakeAgreementSerializer, responses={201: AgreementSerializer})
    def post(self, request, slug):
        serializer = MakeAgreementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cooperative = request.cooperative
        agreement = services.add_agreement(
            _proposal_numbered(cooperative, data["proposal"], "proposal"),
            actor=request.user,
            what=data["what"],
            responsible=_member(cooperative, data["responsible"], "responsible"),
            due_on=data["due_on"],
        )
        return Response(AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)


class AgreementDoneView(CooperativeAPIView):
    """The person responsible, a coordinator or the board marks an agreement as done."""

    @extend_schema(request=None, responses=AgreementSerializer)
    def post(self, request, slug, pk):
        agreement = get_object_or_404(selectors.agreements(request.cooperative), pk=pk)
        services.complete_agreement(agreement, actor=request.user)
        agreement = selectors.agreements(request.cooperative).get(pk=pk)
        return Response(AgreementSerializer(agreement).data)


class YearsView(CooperativeAPIView):
    """The treasurer closes a financial year that has ended: its result goes to the
    reinvestment reserve, which members then decide on."""

    @extend_schema(request=CloseYearSerializer, responses={201: ClosedYearSerializer})
    def post(self, request, slug):
        serializer = CloseYearSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        closed = services.close_year(
            request.cooperative, actor=request.user, year=serializer.validated_data["year"]
        )
        return Response(ClosedYearSerializer(closed).data, status=status.HTTP_201_CREATED)


BUDGETS = "c/<slug:slug>/budgets/"

urlpatterns = [
    path(f"{BUDGETS}streams/", StreamsView.as_view(), name="api-budget-streams"),
    path(
        f"{BUDGETS}streams/<int:pk>/receipts/",
        StreamReceiptsView.as_view(),
        name="api-budget-stream-receipts",
    ),
    path(f"{BUDGETS}proposals/", ProposalsView.as_view(), name="api-budget-proposals"),
    path(f"{BUDGETS}proposals/<int:number>/", ProposalView.as_view(), name="api-budget-proposal"),
    path(
        f"{BUDGETS}proposals/<int:number>/withdraw/",
        WithdrawProposalView.as_view(),
        name="api-budget-proposal-withdraw",
    ),
    path(
        f"{BUDGETS}proposals/<int:number>/check/",
        CheckProposalView.as_view(),
        name="api-budget-proposal-check",
    ),
    path(f"{BUDGETS}votes/", VotesView.as_view(), name="api-budget-votes"),
    path(f"{BUDGETS}votes/<int:pk>/", VoteView.as_view(), name="api-budget-vote"),
    path(f"{BUDGETS}votes/<int:pk>/ballot/", BallotView.as_view(), name="api-budget-ballot"),
    path(
        f"{BUDGETS}votes/<int:pk>/paper-ballots/",
        PaperBallotView.as_view(),
        name="api-budget-paper-ballots",
    ),
    path(f"{BUDGETS}votes/<int:pk>/proxy/", ProxyView.as_view(), name="api-budget-proxy"),
    path(f"{BUDGETS}votes/<int:pk>/close/", CloseVoteView.as_view(), name="api-budget-vote-close"),
    path(
        f"{BUDGETS}votes/<int:pk>/results/", ResultsView.as_view(), name="api-budget-vote-results"
    ),
    path(
        f"{BUDGETS}votes/<int:pk>/ballots/", BallotsView.as_view(), name="api-budget-vote-ballots"
    ),
    path(f"{BUDGETS}agreements/", AgreementsView.as_view(), name="api-budget-agreements"),
    path(
        f"{BUDGETS}agreements/<int:pk>/done/",
        AgreementDoneView.as_view(),
        name="api-budget-agreement-done",
    ),
    path(f"{BUDGETS}years/", YearsView.as_view(), name="api-budget-years"),
]


# Bank accounts and statements

# Who reads the bank accounts, statements and lines: the treasurer keeps them, the board and the
# audit committee check them. Adding and importing is the services' decision.
BANK_READ_ROLES = (Role.TREASURER, Role.BOARD, Role.AUDIT_COMMITTEE)


class BankAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = BankAccount
        fields = ["id", "iban", "name", "created_at"]
        read_only_fields = fields


class AddBankAccountSerializer(serializers.Serializer):
    iban = serializers.CharField(max_length=60, help_text="For example NL91ABNA0417164300.")
    name = serializers.CharField(max_length=100)


class StatementFileSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,
        help_text="A CAMT.053 (XML), MT940 or CSV file, sent as multipart/form-data.",
    )
    bank_account = _id(
        required=False,
        help_text=(
            "For a CSV file: the id of the bank account it comes from, which has its columns "
            "saved (csv-mapping). A CAMT.053 or MT940 file names its own account; given as "
            "well, it must be that one."
        ),
    )
    closing_balance = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=(
            "For a CSV file: the balance the bank shows after its last line, such as "
            '"1250.00" or "-30.50". Not needed when the columns name a balance column.'
        ),
    )


# A column of a CSV file: its header name, or its number counted from 0 in a file without one.
_CSV_COLUMN = {"oneOf": [{"type": "string", "maxLength": 200}, {"type": "integer", "minimum": 0}]}


@extend_schema_field(
    _CSV_COLUMN
    | {"description": "A column: its header name, or its number counted from 0 without one."}
)
class CsvColumnField(serializers.JSONField):
    pass


@extend_schema_field(
    {
        "oneOf": [*_CSV_COLUMN["oneOf"], {"type": "array", "items": _CSV_COLUMN}],
        "description": "One column or a list of columns, joined with a space.",
    }
)
class CsvColumnsField(serializers.JSONField):
    pass


class CsvMappingSerializer(serializers.Serializer):
    """Which column of a bank's CSV export holds what (see the import of statements)."""

    booking_date = CsvColumnField(
        required=False, help_text="Needed to save; an account without columns answers {}."
    )
    amount = CsvColumnField(
        required=False, help_text="A signed amount, or unsigned with a direction column."
    )
    direction = CsvColumnField(
        required=False, help_text="Af/Bij: a value in debit_marks is money going out."
    )
    debit_marks = serializers.ListField(child=serializers.CharField(), required=False)
    debit = CsvColumnField(required=False, help_text="Money out; with credit, not with amount.")
    credit = CsvColumnField(required=False, help_text="Money in; with debit, not with amount.")
    value_date = CsvColumnField(required=False)
    counterparty_name = CsvColumnField(required=False)
    counterparty_iban = CsvColumnField(required=False)
    remittance = CsvColumnsField(required=False)
    end_to_end_id = CsvColumnField(required=False)
    bank_reference = CsvColumnField(required=False)
    balance_after = CsvColumnField(
        required=False, help_text="The balance after each line; checked line by line."
    )
    account = CsvColumnField(required=False, help_text="Each line's account, checked.")
    currency = CsvColumnField(required=False, help_text="Each line's currency, checked.")
    delimiter = serializers.ChoiceField(choices=list(csvfile.DELIMITERS), required=False)
    decimal_comma = serializers.BooleanField(required=False, default=True)
    date_format = serializers.ChoiceField(choices=list(csvfile.DATE_FORMATS), required=False)
    encoding = serializers.ChoiceField(choices=list(csvfile.ENCODINGS), required=False)
    header = serializers.BooleanField(required=False, default=True)


class StatementImportSerializer(serializers.ModelSerializer):
    bank_account = serializers.IntegerField(source="bank_account_id")
    statements = serializers.SerializerMethodField()
    new_lines = serializers.IntegerField(source="line_count")

    class Meta:
        model = StatementImport
        fields = [
            "id",
            "bank_account",
            "file_name",
            "format",
            "imported_at",
            "statements",
            "new_lines",
        ]
        read_only_fields = fields

    def get_statements(self, record) -> int:
        """The statements this file stored (one already stored is skipped, not counted)."""
        return record.statement_count


class BankStatementSerializer(serializers.ModelSerializer):
    opening_balance = serializers.DecimalField(max_digits=20, decimal_places=2)
    closing_balance = serializers.DecimalField(max_digits=20, decimal_places=2)

    class Meta:
        model = BankStatement
        fields = [
            "id",
            "statement_id",
            "opening_date",
            "opening_balance",
            "closing_date",
            "closing_balance",
        ]
        read_only_fields = fields


class BankLineSuggestionSerializer(serializers.Serializer):
    """What matching suggests a waiting line pays; accept it with POST …/accept/."""

    kind = serializers.CharField(
        help_text="expense, advance, batch, advance_return, payout, stream or subscription."
    )
    item = serializers.CharField(help_text="The id of what the line may pay, of that kind.")
    what = serializers.CharField(help_text='In words, such as "Expense 12 — €45.50".')
    why = serializers.CharField(help_text="The reason for the suggestion, in words.")


class BankLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    booked_transaction = serializers.IntegerField(
        source="booked_transaction_id",
        allow_null=True,
        help_text="The ledger transaction that booked the line, once it is booked.",
    )
    suggestion = serializers.SerializerMethodField()

    class Meta:
        model = BankLine
        fields = [
            "id",
            "statement",
            "booking_date",
            "value_date",
            "amount",
            "currency",
            "counterparty_name",
            "counterparty_iban",
            "remittance",
            "status",
            "booked_transaction",
            "suggestion",
        ]
        read_only_fields = fields

    @extend_schema_field(BankLineSuggestionSerializer(allow_null=True))
    def get_suggestion(self, line) -> dict | None:
        """For a line waiting with a suggestion (status "matched"); null otherwise."""
        described = self.context.get("suggestions", {}).get(line.pk)
        if described is None:
            return None
        return {"kind": line.suggested_kind, "item": line.suggested_key} | described


class BankLinesQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=BankLineStatus.choices, required=False)


def _bank_account(request, pk) -> BankAccount:
    return get_object_or_404(BankAccount, pk=pk, cooperative=request.cooperative)


class BankAccountsView(CooperativeAPIView):
    """The cooperative's bank accounts. The treasurer (or the board) adds one by its IBAN."""

    cooperative_roles = BANK_READ_ROLES

    @extend_schema(responses=BankAccountSerializer(many=True))
    def get(self, request, slug):
        accounts = BankAccount.objects.filter(cooperative=request.cooperative)
        return Response(BankAccountSerializer(accounts, many=True).data)

    @extend_schema(request=AddBankAccountSerializer, responses={201: BankAccountSerializer})
    def post(self, request, slug):
        serializer = AddBankAccountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account = services.add_bank_account(
            request.cooperative, actor=request.user, **serializer.validated_data
        )
        return Response(BankAccountSerializer(account).data, status=status.HTTP_201_CREATED)


class StatementsView(CooperativeListView):
    """The imported statement files, newest first. The treasurer imports a file (multipart,
    field `file`): stored whole or refused whole, with the reason."""

    cooperative_roles = BANK_READ_ROLES
    parser_classes = [MultiPartParser]
    serializer_class = StatementImportSerializer

    @extend_schema(responses=StatementImportSerializer(many=True))
    def get(self, request, slug):
        found = StatementImport.objects.filter(cooperative=request.cooperative).annotate(
            statement_count=Count("statements")
        )
        page = self.paginate_queryset(found)
        return self.get_paginated_response(StatementImportSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": StatementFileSerializer},
        responses={201: StatementImportSerializer},
    )
    def post(self, request, slug):
        serializer = StatementFileSerializer(data=request.data)
        if not serializer.is_valid():
            raise DomainError(_("Choose a file to import."), field="file", code="required")
        upload = serializer.validated_data["file"]
        # Refused by its size before it is read, so a huge upload is never held in memory.
        try:
            statement_model.check_file_size(upload.size)
        except statement_model.StatementError as too_big:
            raise DomainError(too_big.text(_), field="file", code="too_big") from None
        account = None
        if "bank_account" in serializer.validated_data:
            account = BankAccount.objects.filter(
                cooperative=request.cooperative, pk=serializer.validated_data["bank_account"]
            ).first()
            if account is None:
                raise DomainError(
                    _("Choose one of this cooperative's bank accounts."), field="bank_account"
                )
        record = services.import_statement(
            request.cooperative,
            actor=request.user,
            data=upload.read(),
            file_name=upload.name,
            bank_account=account,
            closing_balance=serializer.validated_data.get("closing_balance"),
        )
        record.statement_count = record.statements.count()
        return Response(StatementImportSerializer(record).data, status=status.HTTP_201_CREATED)


class CsvMappingView(CooperativeAPIView):
    """Which column of the bank's CSV export holds what, saved on one bank account so that its
    CSV files import without asking again. The treasurer saves it whole (PUT); an account
    without one answers an empty object."""

    cooperative_roles = BANK_READ_ROLES
    parser_classes = [JSONParser]

    @extend_schema(responses=CsvMappingSerializer)
    def get(self, request, slug, pk):
        return Response(_bank_account(request, pk).csv_mapping)

    @extend_schema(request=CsvMappingSerializer, responses=CsvMappingSerializer)
    def put(self, request, slug, pk):
        account = services.save_csv_mapping(
            _bank_account(request, pk), actor=request.user, mapping=request.data
        )
        return Response(account.csv_mapping)


class BankStatementsView(CooperativeListView):
    """The statements of one bank account, newest first."""

    cooperative_roles = BANK_READ_ROLES
    serializer_class = BankStatementSerializer

    def get(self, request, slug, pk):
        account = _bank_account(request, pk)
        page = self.paginate_queryset(account.statements.order_by("-closing_date", "-pk"))
        return self.get_paginated_response(BankStatementSerializer(page, many=True).data)


class BankLinesView(CooperativeListView):
    """The lines of one bank account, newest first (`status=unmatched`: those not matched yet)."""

    cooperative_roles = BANK_READ_ROLES
    serializer_class = BankLineSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=BankLineStatus.values,
                description="Only the lines with this status.",
            )
        ],
        responses={200: BankLineSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request, slug, pk):
        account = _bank_account(request, pk)
        query = BankLinesQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise DomainError(_("Choose a status from the list."), field="status", code="invalid")
        lines = account.lines.order_by("-booking_date", "-pk")
        if query.validated_data.get("status"):
            lines = lines.filter(status=query.validated_data["status"])
        page = self.paginate_queryset(lines)
        described = suggestions.describe(request.cooperative, page)
        return self.get_paginated_response(
            BankLineSerializer(page, many=True, context={"suggestions": described}).data
        )


# Matching and booking bank lines: the treasurer only.


class MatchResultSerializer(serializers.Serializer):
    lines = serializers.IntegerField(help_text="The lines not booked before matching.")
    booked = serializers.IntegerField(help_text="Lines matching booked at once.")
    suggested = serializers.IntegerField(help_text="Lines waiting with a suggestion.")
    unmatched = serializers.IntegerField(help_text="Lines that matched nothing.")


class BookBankLineSerializer(serializers.Serializer):
    account = serializers.CharField(
        max_length=20,
        help_text=(
            "The code of an income, cost or funding-stream account of the cooperative, such "
            'as "8200".'
        ),
    )
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Without one, the booking is named after the date and the counterparty.",
    )


class LinkBankLineSerializer(serializers.Serializer):
    booking = serializers.IntegerField(
        min_value=1,
        help_text=(
            "The id of a booking made already on the line's bank account, of exactly the "
            "line's amount, that no other bank line belongs to."
        ),
    )


def _bank_line(request, line_pk) -> BankLine:
    return get_object_or_404(
        BankLine.objects.filter(bank_account__cooperative=request.cooperative), pk=line_pk
    )


def _line_answer(request, line) -> Response:
    line.refresh_from_db()
    described = suggestions.describe(request.cooperative, [line])
    return Response(BankLineSerializer(line, context={"suggestions": described}).data)


class MatchBankLinesView(CooperativeAPIView):
    """The treasurer matches every line of the cooperative not booked yet, in all its bank
    accounts: a sure match is booked at once, the others wait with a suggestion."""

    cooperative_roles = (Role.TREASURER,)

    @extend_schema(request=None, responses=MatchResultSerializer)
    def post(self, request, slug):
        result = services.match_bank_lines(request.cooperative, actor=request.user)
        unmatched = result["lines"] - result["booked"] - result["suggested"]
        return Response(MatchResultSerializer(result | {"unmatched": unmatched}).data)


class AcceptSuggestionView(CooperativeAPIView):
    """The treasurer accepts the suggestion of a waiting line: it is booked as what the
    suggestion names. The answer is the line, now booked."""

    cooperative_roles = (Role.TREASURER,)

    @extend_schema(request=None, responses=BankLineSerializer)
    def post(self, request, slug, line_pk):
        line = _bank_line(request, line_pk)
        services.accept_suggestion(line, actor=request.user)
        return _line_answer(request, line)


class BookBankLineView(CooperativeAPIView):
    """The treasurer books a line not booked yet to an account, on the line's date: money in
    from that account to the bank, money out from the bank to it. The answer is the line."""

    cooperative_roles = (Role.TREASURER,)
    parser_classes = [JSONParser]

    @extend_schema(request=BookBankLineSerializer, responses=BankLineSerializer)
    def post(self, request, slug, line_pk):
        line = _bank_line(request, line_pk)
        serializer = BookBankLineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        account = (
            selectors.bookable_accounts(request.cooperative).filter(code=data["account"]).first()
        )
        if account is None:
            raise DomainError(
                _("Choose an income, cost or funding-stream account of this cooperative."),
                field="account",
                code="not_bookable",
            )
        services.book_bank_line(
            line, actor=request.user, account=account, description=data["description"]
        )
        return _line_answer(request, line)


class LinkBankLineView(CooperativeAPIView):
    """The treasurer says a line not booked yet is a booking made already, by hand, before the
    statement came (such as money returned of an advance): the line then belongs to that
    booking, and nothing new is booked. The answer is the line."""

    cooperative_roles = (Role.TREASURER,)
    parser_classes = [JSONParser]

    @extend_schema(request=LinkBankLineSerializer, responses=BankLineSerializer)
    def post(self, request, slug, line_pk):
        line = _bank_line(request, line_pk)
        serializer = LinkBankLineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking = Transaction.objects.filter(
            cooperative=request.cooperative, pk=serializer.validated_data["booking"]
        ).first()
        if booking is None:
            raise DomainError(
                _("Choose a booking of this cooperative."), field="booking", code="not_found"
            )
        services.link_bank_line(line, actor=request.user, booking=booking)
        return _line_answer(request, line)


urlpatterns += [
    path(f"{BUDGETS}bank/match/", MatchBankLinesView.as_view(), name="api-budget-bank-match"),
    path(
        f"{BUDGETS}bank/lines/<int:line_pk>/link/",
        LinkBankLineView.as_view(),
        name="api-budget-bank-line-link",
    ),
    path(
        f"{BUDGETS}bank/lines/<int:line_pk>/accept/",
        AcceptSuggestionView.as_view(),
        name="api-budget-bank-line-accept",
    ),
    path(
        f"{BUDGETS}bank/lines/<int:line_pk>/book/",
        BookBankLineView.as_view(),
        name="api-budget-bank-line-book",
    ),
    path(f"{BUDGETS}bank/accounts/", BankAccountsView.as_view(), name="api-budget-bank-accounts"),
    path(
        f"{BUDGETS}bank/accounts/<int:pk>/statements/",
        BankStatementsView.as_view(),
        name="api-budget-bank-account-statements",
    ),
    path(
        f"{BUDGETS}bank/accounts/<int:pk>/lines/",
        BankLinesView.as_view(),
        name="api-budget-bank-lines",
    ),
    path(
        f"{BUDGETS}bank/accounts/<int:pk>/csv-mapping/",
        CsvMappingView.as_view(),
        name="api-budget-bank-csv-mapping",
    ),
    path(f"{BUDGETS}bank/statements/", StatementsView.as_view(), name="api-budget-bank-statements"),
]
