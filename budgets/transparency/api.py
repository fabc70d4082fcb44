"""/api/v1/c/<slug>/open/: the open pages as open data, for everyone without logging in.

The same figures as the pages, from the same selectors: money in, decided, spent and left per
funding stream and the reinvestment reserve; the flow from funder to spending; closed votes;
adopted projects and their expenses; each funder and stream; each partner organisation's give
and take. Amounts are strings with two decimals, always beside their currency; dates are ISO.

The same privacy as the pages: residents are never named (an expense paid back to a resident is
paid to "a resident"), no account number is shown, and the turnout of a vote or the hours given
to an organisation are left out when fewer than MIN_GROUP_SIZE people are behind them.

Every list answers in JSON or, with `?format=csv` or `Accept: text/csv`, as CSV: one row per
item, flat column names. The rows are written by djangorestframework-csv, the CSV renderer
Django REST framework's documentation names: small, pure Python, and used here only to write
the table; each view says its columns and how an item becomes a row. A refusal is always JSON.
"""

import re

from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework_csv.renderers import CSVRenderer as TableRenderer

from budgets.models import ExpenseKind, FundingStream, Outcome, Proposal, ProposalStatus
from budgets.transparency import pictures, selectors
from members.models import Cooperative, PartnerOrganisation
from reciprocity import selectors as time_selectors
from wijkbv.api import OPEN_DATA, ErrorSerializer
from wijkbv.errors import DomainError

TAG = OPEN_DATA
PER_PAGE = 50
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
SPENT_KINDS = (selectors.SUPPLIERS, selectors.RESIDENTS, selectors.ADVANCES, selectors.OTHER)


# Formats, pages and refusals


class CSVRenderer(TableRenderer):
    """One row per item with the columns the view names (`csv_columns`), each item flattened
    by the view (`flat_row`); a page of a list gives the rows of that page."""

    def render(self, data, media_type=None, renderer_context=None):
        context = dict(renderer_context or {})
        view = context["view"]
        items = data.get("results", []) if isinstance(data, dict) else data
        context["header"] = view.csv_columns
        return super().render([view.flat_row(item) for item in items], media_type, context)


class FormatNegotiation(DefaultContentNegotiation):
    """An unknown `format` is refused with a message saying which formats there are, rather
    than with a bare "not found"."""

    def select_renderer(self, request, renderers, format_suffix=None):
        asked = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        known = [renderer.format for renderer in renderers]
        if asked and asked not in known:
            raise DomainError(
                _("This address answers in these formats: %(formats)s.")
                % {"formats": ", ".join(known)},
                field="format",
                code="unknown_format",
            )
        return super().select_renderer(request, renderers, format_suffix)


class Pages(PageNumberPagination):
    """Pages of PER_PAGE items, asked for by number from 1; anything else is refused."""

    page_size = PER_PAGE
    page_query_description = "The page, from 1; 50 items to a page, newest first."

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        asked = request.query_params.get(self.page_query_param, "1")
        if not WHOLE_NUMBER.fullmatch(asked) or int(asked) < 1:
            raise DomainError(
                _("Give the page as a whole number, 1 or more."), field="page", code="bad_page"
            )
        paginator = self.django_paginator_class(queryset, self.page_size)
        if int(asked) > paginator.num_pages:
            raise NotFound(
                _("There is no page %(page)s: the last page is %(last)s.")
                % {"page": asked, "last": paginator.num_pages}
            )
        self.page = paginator.page(int(asked))
        self.request = request
        return list(self.page)


FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description="json (the default) or csv: one row per item. `Accept: text/csv` does the same.",
)
JSON, CSV = JSONRenderer.media_type, "text/csv"


def answers(body, *, table: bool = False) -> dict:
    """The answers an endpoint documents: `body` in JSON (and as a CSV table when `table`),
    or a refusal in JSON: 400 for a bad page or format, 404 when what the path names does not
    exist."""
    documented = {
        # A bare serializer, so that drf-spectacular sees a list and documents its pages.
        (200, JSON): body,
        (400, JSON): OpenApiResponse(ErrorSerializer, description="A bad page or format."),
        (404, JSON): OpenApiResponse(
            ErrorSerializer, description="What the path names does not exist."
        ),
    }
    if table:
        documented[(200, CSV)] = OpenApiResponse(
            OpenApiTypes.STR,
            description="The same items as a table: a header row, then one row per item.",
        )
    return documented


class OpenView(GenericAPIView):
    """Read-only, for everyone: no login, no session, no cookies needed."""

    permission_classes = [AllowAny]
    authentication_classes = []
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatNegotiation
    pagination_class = None
    csv_columns: list[str] = []

    def flat_row(self, item: dict) -> dict:
        return flatten(item)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400:
            # A refusal is read by a person or a program expecting a message, not a table.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        elif isinstance(response.accepted_renderer, CSVRenderer):
            name = f"{self.kwargs['slug']}-{self.csv_name}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        if CSVRenderer in self.renderer_classes:
            # The same address answers JSON or CSV by the Accept header: caches must know.
            patch_vary_headers(response, ["Accept"])
        return response

    @property
    def csv_name(self) -> str:
        return type(self).__name__.removesuffix("View").lower()

    def cooperative(self) -> Cooperative:
        found = Cooperative.objects.filter(slug=self.kwargs["slug"]).first()
        if found is None:
            raise NotFound(_("There is no cooperative at this address."))
        return found

    def link(self, name: str, *args) -> str:
        return self.request.build_absolute_uri(reverse(name, args=args))


class ListView(OpenView):
    renderer_classes = [JSONRenderer, CSVRenderer]


def flatten(item: dict, prefix: str = "") -> dict:
    """A JSON item as one CSV row: nested objects become columns "outer_inner", lists of plain
    values one cell with the values separated by spaces."""
    row = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row |= flatten(value, f"{name}_")
        elif isinstance(value, list):
            row[name] = " ".join(str(part) for part in value)
        else:
            row[name] = value
    return row


# Serializers: what each answer holds. Built from plain dicts made by the views.


def _amount(help_text: str = "", **options):
    return serializers.DecimalField(max_digits=14, decimal_places=2, help_text=help_text, **options)


class OpenTotalsSerializer(serializers.Serializer):
    received = _amount("Money that came in from funders (and into the reserve).")
    allocated = _amount("Moved to project budgets by residents' decisions.")
    spent = _amount("Paid from the project budgets.")
    left = _amount("Not spent yet: in the funds and in the project budgets.")


class OpenSourceSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="stream (a funding stream) or reserve (the cooperative's own "
        "reinvestment reserve)."
    )
    id = serializers.IntegerField(allow_null=True, help_text="The stream's id; null: reserve.")
    name = serializers.CharField()
    funder_id = serializers.IntegerField(allow_null=True)
    funder_name = serializers.CharField(allow_null=True)
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    currency = serializers.CharField()
    committed = _amount("What the funder promised; null for the reserve.", allow_null=True)
    received = _amount("Money that came in.")
    allocated = _amount("Moved to project budgets by decisions.")
    in_fund = _amount("Received and not decided on yet.")
    spent = _amount("Paid from the budgets of its projects.")
    left = _amount("In the fund and in its project budgets, not spent.")
    links = serializers.DictField(
        child=serializers.URLField(),
        help_text="page: its open page; api: this stream's endpoint; funder: the funder's.",
    )


class OpenChainHeadSerializer(serializers.Serializer):
    seq = serializers.IntegerField(help_text="The number of the newest event in the chain.")
    hash = serializers.CharField(help_text="Its SHA-256 fingerprint (hex).")


class OpenSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    currency = serializers.CharField()
    totals = OpenTotalsSerializer()
    sources = OpenSourceSerializer(many=True)
    chain_head = OpenChainHeadSerializer(allow_null=True)
    min_group_size = serializers.IntegerField(
        help_text="A group of fewer people than this is never shown."
    )
    links = serializers.DictField(
        child=serializers.URLField(),
        help_text="page, flows, decisions, projects, partners, time (the time given), thanks "
        "(the thank-you wall), chain (how to check the audit chain), chain_export (the chain "
        "as JSON lines, to check with its verifier).",
    )


class OpenFlowSerializer(serializers.Serializer):
    """One line of the flow picture. Its ends are named in columns "from" and "to"."""

    def get_fields(self):
        node = (
            "funder, stream, reserve, not_allocated (not decided on yet), project, or what "
            "a project spent on: suppliers, residents (paid back), advances, other, not_spent."
        )
        return {
            "from": serializers.CharField(help_text="The name of where the money came from."),
            "from_kind": serializers.CharField(help_text=node),
            "from_id": serializers.IntegerField(
                allow_null=True, help_text="A funder's or stream's id, a project's number."
            ),
            "to": serializers.CharField(help_text="The name of where the money went."),
            "to_kind": serializers.CharField(help_text=node),
            "to_id": serializers.IntegerField(allow_null=True),
            "amount": _amount(),
            "currency": serializers.CharField(),
        }


class OpenAdoptedSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The project's number.")
    title = serializers.CharField()
    amount = _amount("Its budget.")


class OpenDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The vote's id.")
    title = serializers.CharField()
    kind = serializers.CharField(help_text="yes_no or budget.")
    closed = serializers.DateTimeField()
    outcome = serializers.ChoiceField(choices=Outcome.values, allow_blank=True)
    outcome_label = serializers.CharField()
    voted = serializers.IntegerField(
        allow_null=True, help_text="How many voted; null when fewer than min_group_size."
    )
    voters = serializers.IntegerField(
        allow_null=True, help_text="How many could vote; null when the turnout is not shown."
    )
    turnout_percent = serializers.IntegerField(allow_null=True)
    adopted = OpenAdoptedSerializer(
        many=True, help_text="The projects it adopted. In CSV: their numbers."
    )
    allocated = _amount("The budgets of the adopted projects together.")
    currency = serializers.CharField()
    chain_seq = serializers.IntegerField(
        allow_null=True, help_text="The chain event that recorded the decision."
    )
    chain_event = serializers.URLField(allow_null=True, help_text="That event's open page.")


class OpenSpentByKindSerializer(serializers.Serializer):
    suppliers = _amount("Paid to suppliers.")
    residents = _amount("Paid back to residents.")
    advances = _amount("Spent from advances.")
    other = _amount("Other costs.")


class OpenProjectSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    theme = serializers.CharField()
    place = serializers.CharField(allow_null=True)
    stream_id = serializers.IntegerField(allow_null=True, help_text="Null: the reserve.")
    stream_name = serializers.CharField()
    currency = serializers.CharField()
    budget = _amount("Decided on for this project.")
    spent = _amount()
    spent_by_kind = OpenSpentByKindSerializer(
        help_text="In CSV: spent_by_kind_suppliers and so on."
    )
    left = _amount()
    progress = serializers.IntegerField(help_text="Per cent of the budget spent, 0 to 100.")
    links = serializers.DictField(
        child=serializers.URLField(), help_text="page: its open page; expenses: its expenses."
    )


class OpenExpenseSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    date = serializers.DateField(help_text="The date of the receipt.")
    what_for = serializers.CharField()
    paid_to = serializers.CharField(
        help_text='The supplier\'s name, or "a resident": residents are never named.'
    )
    paid_to_kind = serializers.ChoiceField(choices=["supplier", "resident"])
    amount = _amount()
    currency = serializers.CharField()
    status = serializers.CharField(help_text="approved, paid or reconciled.")
    status_label = serializers.CharField()
    receipts = serializers.ListField(
        child=serializers.CharField(),
        help_text="The SHA-256 fingerprint of each receipt file. In CSV: separated by spaces.",
    )
    chain_seqs = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The chain events about it and its payment. In CSV: separated by spaces.",
    )


class OpenTimeGivenSerializer(serializers.Serializer):
    hours = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    people = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField(
        help_text="Fewer than min_group_size people: the numbers are left out."
    )


class OpenPartnerSerializer(serializers.Serializer):
    name = serializers.CharField()
    funder_id = serializers.IntegerField(
        allow_null=True, help_text="Its id when it funds a stream; its page is then open."
    )
    money = _amount("What it gave the neighbourhood (received so far).")
    currency = serializers.CharField()
    time = OpenTimeGivenSerializer(
        allow_null=True,
        help_text="The hours residents gave it; null when none. In CSV: time_hours, "
        "time_people, time_suppressed.",
    )


class OpenPaymentSerializer(serializers.Serializer):
    date = serializers.DateField()
    amount = _amount()


class OpenMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    spent = _amount()


class OpenSourceWithProjectsSerializer(OpenSourceSerializer):
    projects = OpenProjectSerializer(many=True)


class OpenFunderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    currency = serializers.CharField()
    totals = OpenTotalsSerializer()
    streams = OpenSourceWithProjectsSerializer(many=True)
    flows = OpenFlowSerializer(many=True)
    decisions = OpenDecisionSerializer(many=True)
    time = OpenTimeGivenSerializer(allow_null=True, help_text="Hours residents gave it.")
    chain_head = OpenChainHeadSerializer(allow_null=True)
    links = serializers.DictField(child=serializers.URLField())


class OpenStreamSerializer(OpenSourceSerializer):
    earmark = serializers.ListField(
        child=serializers.CharField(), help_text="Themes it may be spent on; empty: any."
    )
    conditions = serializers.CharField()
    projects = OpenProjectSerializer(many=True)
    flows = OpenFlowSerializer(many=True)
    decisions = OpenDecisionSerializer(many=True)
    payments = OpenPaymentSerializer(many=True, help_text="The latest money in, newest first.")
    months = OpenMonthSerializer(many=True, help_text="Spent per month, the last twelve.")
    chain_head = OpenChainHeadSerializer(allow_null=True)


# From the selectors' figures to plain dicts


def _head(cooperative) -> dict | None:
    head = selectors.chain_head(cooperative)
    return {"seq": head[0], "hash": head[1]} if head else None


def _totals(picture: selectors.Money) -> dict:
    return {
        "received": picture.received,
        "allocated": picture.allocated,
        "spent": picture.spent,
        "left": picture.left,
    }


class Figures:
    """The dicts of one request, with its absolute links."""

    def __init__(self, view: OpenView, cooperative: Cooperative):
        self.view = view
        self.cooperative = cooperative
        self.slug = cooperative.slug
        self.currency = cooperative.currency

    def source(self, source: selectors.Source) -> dict:
        stream = source.stream
        links = {}
        if stream is not None:
            links = {
                "page": self.view.link("budgets:open_stream", self.slug, stream.pk),
                "api": self.view.link("api-open-stream", self.slug, stream.pk),
                "funder": self.view.link("api-open-funder", self.slug, stream.funder_id),
            }
        return {
            "kind": "stream" if stream else "reserve",
            "id": stream.pk if stream else None,
            "name": str(source.name),
            "funder_id": stream.funder_id if stream else None,
            "funder_name": stream.funder.name if stream else None,
            "starts_on": stream.starts_on if stream else None,
            "ends_on": stream.ends_on if stream else None,
            "currency": self.currency,
            "committed": source.committed,
            "received": source.received,
            "allocated": source.allocated,
            "in_fund": source.in_fund,
            "spent": source.spent,
            "left": source.left,
            "links": links,
        }

    def project(self, project: selectors.Project, source: selectors.Source) -> dict:
        proposal = project.proposal
        return {
            "number": proposal.number,
            "title": proposal.title,
            "theme": proposal.theme,
            "place": proposal.place.name if proposal.place else None,
            "stream_id": proposal.stream_id,
            "stream_name": str(source.name),
            "currency": self.currency,
            "budget": project.allocated,
            "spent": project.spent,
            "spent_by_kind": {
                kind: project.by_kind.get(kind, selectors.ZERO) for kind in SPENT_KINDS
            },
            "left": project.left,
            "progress": project.progress,
            "links": {
                "page": self.view.link("budgets:open_project", self.slug, proposal.number),
                "expenses": self.view.link("api-open-expenses", self.slug, proposal.number),
            },
        }

    def projects(self, sources: list[selectors.Source]) -> list[dict]:
        return [self.project(project, source) for source in sources for project in source.projects]

    def flows(self, picture: selectors.Money, *, with_funders: bool = True) -> list[dict]:
        # The picture's own flows (nodes and lines), so the data is exactly what it draws.
        nodes, flows = pictures.flows(picture, self.slug, with_funders=with_funders)
        labels = {node.key: node.label for node in nodes}
        rows = []
        for flow in flows:
            source_kind, source_id = _node(flow.source)
            target_kind, target_id = _node(flow.target)
            rows.append(
                {
                    "from": str(labels[flow.source]),
                    "from_kind": source_kind,
                    "from_id": source_id,
                    "to": str(labels[flow.target]),
                    "to_kind": target_kind,
                    "to_id": target_id,
                    "amount": flow.value,
                    "currency": self.currency,
                }
            )
        return rows

    def decision(self, decision: selectors.Decision) -> dict:
        vote = decision.vote
        event = None
        if decision.event_seq:
            event = self.view.link("budgets:open_chain_event", self.slug, decision.event_seq)
        return {
            "id": vote.pk,
            "title": vote.title,
            "kind": vote.kind,
            "closed": vote.closed_at,
            "outcome": vote.outcome,
            "outcome_label": str(vote.get_outcome_display()),
            "voted": decision.voted,
            "voters": decision.voters,
            "turnout_percent": decision.turnout_percent,
            "adopted": [
                {"number": p.number, "title": p.title, "amount": p.amount} for p in decision.adopted
            ],
            "allocated": decision.allocated,
            "currency": self.currency,
            "chain_seq": decision.event_seq,
            "chain_event": event,
        }

    def time(self, row: dict | None) -> dict | None:
        if row is None:
            return None
        return {"hours": row["hours"], "people": row["people"], "suppressed": row["suppressed"]}


def _node(key: str) -> tuple[str, int | None]:
    """The kind and id of a node of the flow picture, from its key ("stream:3", "reserve")."""
    kind, _sep, number = key.partition(":")
    return kind, int(number) if number else None


# The endpoints


@extend_schema(tags=[TAG])
class SummaryView(OpenView):
    @extend_schema(
        summary="The open page in figures",
        description=(
            "What the cooperative received, decided on, spent and has left, per funding "
            "stream and for its own reinvestment reserve; the newest event of its audit "
            "chain; and links to the other open data."
        ),
        responses=answers(OpenSummarySerializer),
    )
    def get(self, request, slug):
        cooperative = self.cooperative()
        picture = selectors.money(cooperative)
        figures = Figures(self, cooperative)
        body = {
            "name": cooperative.name,
            "slug": cooperative.slug,
            "currency": cooperative.currency,
            "totals": _totals(picture),
            "sources": [figures.source(source) for source in picture.sources],
            "chain_head": _head(cooperative),
            "min_group_size": selectors.MIN_GROUP_SIZE,
            "links": {
                "page": self.link("budgets:open", slug),
                "flows": self.link("api-open-flows", slug),
                "decisions": self.link("api-open-decisions", slug),
                "projects": self.link("api-open-projects", slug),
                "partners": self.link("api-open-partners", slug),
                "time": self.link("api-time-public", slug),
                "thanks": self.link("api-time-thanks", slug),
                "chain": self.link("budgets:open_chain", slug),
                "chain_export": self.link("budgets:open_chain_export", slug),
            },
        }
        return Response(OpenSummarySerializer(body).data)


@extend_schema(tags=[TAG])
class FlowsView(ListView):
    csv_columns = ["from", "from_kind", "from_id", "to", "to_kind", "to_id", "amount", "currency"]

    @extend_schema(
        summary="Where the money went, line by line",
        description=(
            "The lines of the flow picture on the open page: from each funder to its "
            "funding streams, from a stream (or the reserve) to the projects residents "
            "decided on or to what is not decided on yet, and from each project to what it "
            "spent, by kind, and what it has not spent yet."
        ),
        parameters=[FORMAT],
        responses=answers(OpenFlowSerializer(many=True), table=True),
    )
    def get(self, request, slug):
        cooperative = self.cooperative()
        rows = Figures(self, cooperative).flows(selectors.money(cooperative))
        return Response(OpenFlowSerializer(rows, many=True).data)


@extend_schema(tags=[TAG])
class DecisionsView(ListView):
    pagination_class = Pages
    csv_columns = [
        "id",
        "title",
        "kind",
        "closed",
        "outcome",
        "outcome_label",
        "voted",
        "voters",
        "turnout_percent",
        "adopted",
        "allocated",
        "currency",
        "chain_seq",
        "chain_event",
    ]

    def flat_row(self, item):
        return flatten(item | {"adopted": [project["number"] for project in item["adopted"]]})

    @extend_schema(
        summary="What residents decided",
        description=(
            "Every closed vote, newest first, 50 to a page: its outcome, the turnout (left "
            "out when fewer than min_group_size people voted), the projects it adopted with "
            "their budgets, and the event of the audit chain that recorded it."
        ),
        parameters=[FORMAT],
        responses=answers(OpenDecisionSerializer(many=True), table=True),
    )
    def get(self, request, slug):
        cooperative = self.cooperative()
        page = self.paginate_queryset(selectors.closed_votes(cooperative))
        figures = Figures(self, cooperative)
        rows = [figures.decision(d) for d in selectors.decisions_of(cooperative, page)]
        return self.get_paginated_response(OpenDecisionSerializer(rows, many=True).data)


@extend_schema(tags=[TAG])
class ProjectsView(ListView):
    csv_columns = [
        "number",
        "title",
        "theme",
        "place",
        "stream_id",
        "stream_name",
        "currency",
        "budget",
        "spent",
        "spent_by_kind_suppliers",
        "spent_by_kind_residents",
        "spent_by_kind_advances",
        "spent_by_kind_other",
        "left",
        "progress",
        "links_page",
        "links_expenses",
    ]

    @extend_schema(
        summary="Every adopted project and its budget",
        description=(
            "Each project residents adopted, with the funding stream it is paid from (or "
            "the reserve), its budget, what it spent by kind (suppliers, residents paid "
            "back, advances, other) and what it has left."
        ),
        parameters=[FORMAT],
        responses=answers(OpenProjectSerializer(many=True), table=True),
    )
    def get(self, request, slug):
        cooperative = self.cooperative()
        rows = Figures(self, cooperative).projects(selectors.money(cooperative).sources)
        return Response(OpenProjectSerializer(rows, many=True).data)


@extend_schema(tags=[TAG])
class ExpensesView(ListView):
    pagination_class = Pages
    csv_columns = [
        "number",
        "date",
        "what_for",
        "paid_to",
        "paid_to_kind",
        "amount",
        "currency",
        "status",
        "status_label",
        "receipts",
        "chain_seqs",
    ]

    @property
    def csv_name(self) -> str:
        return f"project-{self.kwargs['number']}-expenses"

    @extend_schema(
        summary="The expenses of one project",
        description=(
            "Every approved and paid expense of an adopted project, newest first, 50 to a "
            "page: what it was for, who was paid (a supplier by name; a resident is never "
            'named: "a resident"), the amount, the SHA-256 fingerprint of each receipt and '
            "the events of the audit chain about it."
        ),
        parameters=[FORMAT],
        responses=answers(OpenExpenseSerializer(many=True), table=True),
    )
    def get(self, request, slug, number):
        cooperative = self.cooperative()
        proposal = Proposal.objects.filter(
            cooperative=cooperative,
            number=number,
            status=ProposalStatus.ADOPTED,
            budget_account__isnull=False,
        ).first()
        if proposal is None:
            raise NotFound(_("There is no adopted project with this number."))
        expenses = self.paginate_queryset(selectors.expenses_of(proposal))
        events = selectors.expense_events(cooperative, expenses)
        rows = [_expense(expense, events) for expense in expenses]
        return self.get_paginated_response(OpenExpenseSerializer(rows, many=True).data)


def _expense(expense, events) -> dict:
    seqs = [seq for seq, _action in events[expense.pk]]
    by_supplier = expense.kind == ExpenseKind.INVOICE
    return {
        "number": expense.number,
        "date": expense.spent_on,
        "what_for": expense.description,
        "paid_to": expense.supplier_name if by_supplier else _("a resident"),
        "paid_to_kind": "supplier" if by_supplier else "resident",
        "amount": expense.amount,
        "currency": expense.currency,
        "status": expense.status,
        "status_label": str(expense.get_status_display()),
        "receipts": [receipt.sha256 for receipt in expense.receipts.all()],
        "chain_seqs": sorted(seqs),
    }


@extend_schema(tags=[TAG])
class FunderView(OpenView):
    @extend_schema(
        summary="One funder: where its money went",
        description=(
            "A funder's funding streams with what each received, decided on, spent and has "
            "left, and each stream's projects; the flow of its money; the decisions about "
            "its streams; and the hours residents gave it (left out when fewer than "
            "min_group_size people gave them)."
        ),
        responses=answers(OpenFunderSerializer),
    )
    def get(self, request, slug, pk):
        cooperative = self.cooperative()
        partner = PartnerOrganisation.objects.filter(cooperative=cooperative, pk=pk).first()
        picture = selectors.money(cooperative, funder=partner) if partner else None
        if picture is None or not picture.sources:
            raise NotFound(_("There is no funder with this number."))
        figures = Figures(self, cooperative)
        streams = [source.stream.pk for source in picture.sources]
        time_rows = time_selectors.public_partner_hours(cooperative)
        time = next((row for row in time_rows if row["partner"] == partner.name), None)
        body = {
            "id": partner.pk,
            "name": partner.name,
            "description": partner.description,
            "currency": cooperative.currency,
            "totals": _totals(picture),
            "streams": [
                figures.source(source) | {"projects": figures.projects([source])}
                for source in picture.sources
            ],
            "flows": figures.flows(picture, with_funders=False),
            "decisions": [
                figures.decision(decision)
                for decision in selectors.decisions(cooperative, streams=streams, limit=None)
            ],
            "time": figures.time(time),
            "chain_head": _head(cooperative),
            "links": {"page": self.link("budgets:open_funder", slug, partner.pk)},
        }
        return Response(OpenFunderSerializer(body).data)


@extend_schema(tags=[TAG])
class StreamView(OpenView):
    @extend_schema(
        summary="One funding stream: money in, decided, spent and left",
        description=(
            "A funding stream: its period and what it may be spent on, what it received, "
            "decided on, spent and has left; its projects; the flow of its money; the "
            "decisions about it; the latest money in; and what its projects spent in each of "
            "the last twelve months."
        ),
        responses=answers(OpenStreamSerializer),
    )
    def get(self, request, slug, pk):
        cooperative = self.cooperative()
        stream = (
            FundingStream.objects.filter(cooperative=cooperative, pk=pk)
            .select_related("funder")
            .first()
        )
        if stream is None:
            raise NotFound(_("There is no funding stream with this number."))
        picture = selectors.money(cooperative, stream=stream)
        figures = Figures(self, cooperative)
        (source,) = picture.sources
        months = selectors.spending_by_month(cooperative, streams=[stream.pk])
        body = figures.source(source) | {
            "earmark": list(stream.earmark),
            "conditions": stream.conditions,
            "projects": figures.projects(picture.sources),
            "flows": figures.flows(picture, with_funders=False),
            "decisions": [
                figures.decision(decision)
                for decision in selectors.decisions(cooperative, streams=[stream.pk], limit=None)
            ],
            "payments": [
                {"date": day, "amount": amount}
                for day, amount in selectors.received_payments(stream)
            ],
            "months": [{"month": start, "spent": amount} for start, amount in months],
            "chain_head": _head(cooperative),
        }
        return Response(OpenStreamSerializer(body).data)


@extend_schema(tags=[TAG])
class PartnersView(ListView):
    csv_columns = [
        "name",
        "funder_id",
        "money",
        "currency",
        "time_hours",
        "time_people",
        "time_suppressed",
    ]

    def flat_row(self, item):
        empty = {"hours": None, "people": None, "suppressed": None}
        return flatten(item | {"time": item["time"] or empty})

    @extend_schema(
        summary="Give and take with partner organisations",
        description=(
            "Per partner organisation: the money it gave the neighbourhood, beside the hours "
            "residents gave it. Hours are left out when fewer than min_group_size people "
            "gave them. Time is not money: hours are never turned into euros here."
        ),
        parameters=[FORMAT],
        responses=answers(OpenPartnerSerializer(many=True), table=True),
    )
    def get(self, request, slug):
        cooperative = self.cooperative()
        picture = selectors.money(cooperative)
        time_rows = time_selectors.public_partner_hours(cooperative)
        figures = Figures(self, cooperative)
        rows = [
            {
                "name": row["name"],
                "funder_id": row["partner"].pk if row["partner"] else None,
                "money": row["money"],
                "currency": cooperative.currency,
                "time": figures.time(row["time"]),
            }
            for row in selectors.partner_reciprocity(cooperative, picture, time_rows)
        ]
        return Response(OpenPartnerSerializer(rows, many=True).data)
