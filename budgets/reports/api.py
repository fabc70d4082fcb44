"""/api/v1/c/<slug>/budgets/reports/: the balance sheet, income and expenditure, and per funding
stream, as JSON, for the treasurer, the board and the audit committee.

Every report takes the period in the query string: `from` and `to` (2026-03-31), or `period`
(this_month, last_month, this_year, last_year); without any, this year so far. The balance
sheet is the one at the end of the period. Amounts are strings with two decimals ("1500.00"),
as people read them: an asset or expense in debit is positive, and so is a liability, equity or
income account in credit. A period that cannot be read is refused with 400 and the reason.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from budgets.reports import books, forms, periods
from budgets.reports.views import REPORT_ROLES
from members.permissions import CooperativeRolePermission
from wijkbv.api import AutoSchema, ErrorSerializer


def _amount(money) -> str:
    return f"{money.amount:.2f}"


def _amount_field(help_text=""):
    return serializers.CharField(help_text=help_text or "An amount such as 1500.00.")


class LineSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The account's code; empty for a computed line.")
    name = serializers.CharField()
    amount = _amount_field()

    def to_representation(self, line):
        return {"code": line.code, "name": line.name, "amount": _amount(line.amount)}


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="assets, funds, budgets, liabilities, equity, income or expenses."
    )
    title = serializers.CharField()
    lines = LineSerializer(many=True)
    total = _amount_field()

    def to_representation(self, section):
        return {
            "key": section.key,
            "title": section.title,
            "lines": [LineSerializer(line).data for line in section.lines],
            "total": _amount(section.total),
        }


class BalanceSheetSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="The balance sheet at the end of this day.")
    currency = serializers.CharField()
    sections = SectionSerializer(many=True)
    result_not_closed = _amount_field(
        "The result of the years not yet closed into the reinvestment reserve (a line of equity)."
    )
    total_assets = _amount_field()
    total_liabilities = _amount_field()
    total_equity = _amount_field()
    total_liabilities_and_equity = _amount_field()
    balances = serializers.BooleanField(help_text="Assets equal liabilities and equity.")

    def to_representation(self, report):
        return {
            "on": report.on.isoformat(),
            "currency": report.currency,
            "sections": [SectionSerializer(section).data for section in report.sections],
            "result_not_closed": _amount(report.result_not_closed),
            "total_assets": _amount(report.assets.total),
            "total_liabilities": _amount(report.total_liabilities),
            "total_equity": _amount(report.total_equity),
            "total_liabilities_and_equity": _amount(report.total_liabilities_and_equity),
            "balances": report.balances,
        }


class IncomeAndExpenditureSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    currency = serializers.CharField()
    income = SectionSerializer()
    expenses = SectionSerializer()
    result = _amount_field("Income less expenses.")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("start")
        fields["to"] = fields.pop("end")
        return fields

    def to_representation(self, report):
        return {
            "from": report.start.isoformat(),
            "to": report.end.isoformat(),
            "currency": report.currency,
            "income": SectionSerializer(report.income).data,
            "expenses": SectionSerializer(report.expenses).data,
            "result": _amount(report.result),
        }


class StreamLineSerializer(serializers.Serializer):
    stream = serializers.IntegerField(allow_null=True, help_text="Null for the reserve.")
    name = serializers.CharField()
    received = _amount_field("Money into the fund, other than from a project budget.")
    allocated = _amount_field("Moved from the fund to project budgets, less money moved back.")
    spent = _amount_field("Paid from the project budgets of this stream.")
    left_in_fund = _amount_field("In the fund at the end of the period.")
    left_in_budgets = _amount_field("In its project budgets, not yet spent, at the end.")

    def to_representation(self, line):
        return {
            "stream": line.stream.pk if line.stream else None,
            "name": line.name,
            "received": _amount(line.received),
            "allocated": _amount(line.allocated),
            "spent": _amount(line.spent),
            "left_in_fund": _amount(line.left_in_fund),
            "left_in_budgets": _amount(line.left_in_budgets),
        }


class StreamReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    currency = serializers.CharField()
    streams = StreamLineSerializer(many=True)
    totals = StreamLineSerializer()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("start")
        fields["to"] = fields.pop("end")
        return fields

    def to_representation(self, report):
        return {
            "from": report.start.isoformat(),
            "to": report.end.isoformat(),
            "currency": report.currency,
            "streams": [StreamLineSerializer(line).data for line in report.lines],
            "totals": StreamLineSerializer(report.totals).data,
        }


PERIOD_PARAMETERS = [
    OpenApiParameter(
        "from", OpenApiTypes.DATE, description="The first day; without it, 1 January of `to`."
    ),
    OpenApiParameter("to", OpenApiTypes.DATE, description="The last day; without it, today."),
    OpenApiParameter(
        "period",
        OpenApiTypes.STR,
        enum=list(periods.PRESETS),
        description="A preset period instead of `from` and `to`.",
    ),
]
STREAM_PARAMETER = OpenApiParameter(
    "stream", OpenApiTypes.INT, description="Only this funding stream (its id)."
)


class ReportView(APIView):
    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]
    cooperative_roles = REPORT_ROLES
    form_class = forms.PeriodForm

    def cleaned(self, request) -> dict:
        form = self.form_class(request.query_params, cooperative=request.cooperative)
        if not form.is_valid():
            raise form.refusal()
        return form.cleaned_data


class BalanceSheetView(ReportView):
    """The balance sheet at the end of the period: assets, funds, project budgets, other
    liabilities and equity per account, with totals, and whether it balances."""

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses={200: BalanceSheetSerializer, 400: ErrorSerializer},
    )
    def get(self, request, slug):
        period = self.cleaned(request)["period"]
        report = books.balance_sheet(request.cooperative, period.end)
        return Response(BalanceSheetSerializer(report).data)


class IncomeAndExpenditureView(ReportView):
    """Income and expenses per account over the period, with totals and the result."""

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses={200: IncomeAndExpenditureSerializer, 400: ErrorSerializer},
    )
    def get(self, request, slug):
        period = self.cleaned(request)["period"]
        report = books.income_and_expenditure(request.cooperative, period.start, period.end)
        return Response(IncomeAndExpenditureSerializer(report).data)


class FundingStreamsView(ReportView):
    """Per funding stream, and last for the reinvestment reserve: received, allocated, spent,
    and left in the fund and in its project budgets, with totals."""

    form_class = forms.StreamReportForm

    @extend_schema(
        parameters=[*PERIOD_PARAMETERS, STREAM_PARAMETER],
        responses={200: StreamReportSerializer, 400: ErrorSerializer},
    )
    def get(self, request, slug):
        data = self.cleaned(request)
        period = data["period"]
        report = books.funding_streams(
            request.cooperative, period.start, period.end, stream=data["stream"]
        )
        return Response(StreamReportSerializer(report).data)
