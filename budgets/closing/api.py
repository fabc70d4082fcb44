"""/api/v1/c/<slug>/budgets/closing/: the periods closed so far and closing the next one, the
reconciliation of a bank account, and the audit file (XAF 3.2) of a year.

Closing is the ledger's service `close_period`: a month (`year` and `month`) or a whole year
(`year` alone), up to and including its last day. When a bank line of the period is not booked
yet, or the books and the bank differ at its end, the request must say
`"confirm_open_items": true`; otherwise it is refused (400, code `open_items`) and nothing is
closed. Amounts are strings with two decimals ("1500.00"), signed as the book signs them.
"""

import calendar
import datetime

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from budgets.closing import selectors
from budgets.closing.reconciliation import KINDS, reconcile
from budgets.closing.views import AUDIT_FILE_ROLES, READ_ROLES
from budgets.models import BankAccount
from members.models import Role
from members.permissions import CooperativeRolePermission, require_role
from wijkbv.api import AutoSchema, ErrorSerializer
from wijkbv.errors import DomainError
from wijkbv.ledger import services as ledger_services
from wijkbv.ledger import xaf


def _amount(value) -> str | None:
    return None if value is None else f"{value:.2f}"


class PeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    until = serializers.DateField(help_text="Closed up to and including this day.")
    closed_at = serializers.DateTimeField()


class CloseSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1901, max_value=2999)
    month = serializers.IntegerField(
        min_value=1, max_value=12, required=False, help_text="Leave out to close the whole year."
    )
    confirm_open_items = serializers.BooleanField(
        default=False,
        help_text="Close even though bank lines are not booked or books and bank differ.",
    )


class OpenItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=sorted(KINDS))
    label = serializers.CharField()
    on = serializers.DateField(allow_null=True)
    description = serializers.CharField()
    in_bank = serializers.CharField(allow_null=True, help_text="What the bank holds of it.")
    in_books = serializers.CharField(allow_null=True, help_text="What the books hold of it.")
    effect = serializers.CharField(help_text="What it adds to the difference, books less bank.")
    line = serializers.IntegerField(allow_null=True, help_text="The bank line, if one.")
    transaction = serializers.IntegerField(allow_null=True, help_text="The booking, if one.")

    def to_representation(self, item):
        return {
            "kind": item.kind,
            "label": item.label,
            "on": item.on.isoformat() if item.on else None,
            "description": item.description,
            "in_bank": _amount(item.in_bank),
            "in_books": _amount(item.in_books),
            "effect": _amount(item.effect),
            "line": item.line,
            "transaction": item.transaction,
        }


class ReconciliationSerializer(serializers.Serializer):
    bank_account = serializers.IntegerField()
    on = serializers.DateField()
    currency = serializers.CharField()
    ledger_balance = serializers.CharField()
    bank_balance = serializers.CharField()
    statement_closing_date = serializers.DateField(
        allow_null=True, help_text="The last statement closing on or before `on`."
    )
    difference = serializers.CharField(help_text="Books less bank.")
    unexplained = serializers.CharField(help_text="What the open items do not explain.")
    explained = serializers.BooleanField(help_text="The open items explain the whole difference.")
    items = OpenItemSerializer(many=True)

    def to_representation(self, report):
        return {
            "bank_account": report.bank_account.pk,
            "on": report.on.isoformat(),
            "currency": report.currency,
            "ledger_balance": _amount(report.ledger_balance),
            "bank_balance": _amount(report.bank_balance),
            "statement_closing_date": (
                report.statement.closing_date.isoformat() if report.statement else None
            ),
            "difference": _amount(report.difference),
            "unexplained": _amount(report.unexplained),
            "explained": report.is_explained,
            "items": [OpenItemSerializer(item).data for item in report.items],
        }


class AsOfSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])
    period = serializers.IntegerField(required=False, min_value=1)


class ClosingAPIView(APIView):
    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]


def _until(data) -> datetime.date:
    year, month = data["year"], data.get("month")
    if month is None:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


class PeriodsView(ClosingAPIView):
    """The periods closed so far, the latest first. The treasurer closes a month or a year."""

    cooperative_roles = READ_ROLES

    @extend_schema(responses=PeriodSerializer(many=True))
    def get(self, request, slug):
        return Response(PeriodSerializer(selectors.periods(request.cooperative), many=True).data)

    @extend_schema(request=CloseSerializer, responses={201: PeriodSerializer})
    def post(self, request, slug):
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cooperative = request.cooperative
        # Refused first, so that nobody but the treasurer learns what is open by trying.
        require_role(request.user, cooperative, Role.TREASURER)
        until = _until(serializer.validated_data)
        if (
            selectors.may_close(cooperative, until, timezone.localdate())
            and not serializer.validated_data["confirm_open_items"]
            and selectors.is_open(selectors.open_at(cooperative, until))
        ):
            raise DomainError(
                _(
                    "Something is still open in this period: bank lines not booked, or a"
                    " difference between the books and the bank. Confirm to close it anyway."
                ),
                field="confirm_open_items",
                code="open_items",
            )
        period = ledger_services.close_period(cooperative, actor=request.user, until=until)
        return Response(PeriodSerializer(period).data, status=status.HTTP_201_CREATED)


class ReconciliationView(ClosingAPIView):
    """One bank account: the books against the bank at the end of `on` (default today) or of a
    closed `period`, and every open item that explains the difference."""

    cooperative_roles = READ_ROLES

    @extend_schema(
        parameters=[
            OpenApiParameter("on", OpenApiTypes.DATE, description="The date (2026-01-31)."),
            OpenApiParameter(
                "period", OpenApiTypes.INT, description="The id of a closed period: its end."
            ),
        ],
        responses={200: ReconciliationSerializer, 400: ErrorSerializer},
    )
    def get(self, request, slug, pk):
        account = get_object_or_404(
            BankAccount.objects.select_related("ledger_account"),
            pk=pk,
            cooperative=request.cooperative,
        )
        query = AsOfSerializer(data=request.query_params)
        if not query.is_valid():
            field = next(iter(query.errors))
            if field == "period":
                raise DomainError(_("Choose a closed period from the list."), field="period")
            raise DomainError(_("Fill in a date as 2026-01-31."), field="on", code="invalid")
        on = query.validated_data.get("on") or timezone.localdate()
        if "period" in query.validated_data:
            period = selectors.periods(request.cooperative).filter(
                pk=query.validated_data["period"]
            )
            until = period.values_list("until", flat=True).first()
            if until is None:
                raise DomainError(_("Choose a closed period from the list."), field="period")
            on = until
        return Response(ReconciliationSerializer(reconcile(account, on)).data)


class AuditFileView(ClosingAPIView):
    """The audit file (XML Auditfile Financieel 3.2) of a `year` (default this year), for the
    accountant: the treasurer and the audit committee."""

    cooperative_roles = AUDIT_FILE_ROLES

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="For example 2026.")],
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The XAF 3.2 file."
            ),
            400: ErrorSerializer,
        },
    )
    def get(self, request, slug):
        year = request.query_params.get("year") or timezone.localdate().year
        pieces = xaf.export(request.cooperative, year)
        response = StreamingHttpResponse(pieces, content_type="application/xml")
        name = xaf.file_name(request.cooperative, xaf.check_year(request.cooperative, year))
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
