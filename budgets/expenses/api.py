"""/api/v1/c/<slug>/budgets/expenses/, .../advances/, .../payment-batches/: the same decisions
as the pages, through the same services and with the same messages.

Receipts are sent as multipart/form-data (field `receipt` for an expense, `receipts` repeated for
the settlement of an advance). Amounts are strings with two decimals. People are named by member
number; an IBAN a person gave is shown to that person and the treasurer only.
"""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from budgets import services
from budgets.expenses import receipts, selectors
from budgets.models import (
    Advance,
    AdvanceStatus,
    BankAccount,
    Expense,
    ExpenseKind,
    ExpenseStatus,
    PaymentBatch,
    ReceiptFile,
)
from members.models import Role
from members.permissions import CooperativeRolePermission, holds_role
from wijkbv.api import AutoSchema, ErrorSerializer
from wijkbv.errors import DomainError
from wijkbv.ledger.models import Account, Purpose

MAX_INT = 2**31 - 1
RESIDENT_ROLES = services.RESIDENT_ROLES
BATCH_READ_ROLES = (Role.TREASURER, Role.BOARD, Role.AUDIT_COMMITTEE)
MAX_RECEIPTS = 20


class CooperativeAPIView(APIView):
    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]


class CooperativeListView(generics.GenericAPIView):
    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]


def _number(membership) -> int | None:
    return membership.member_number if membership is not None else None


def _money(amount) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def _shows_iban(request, owner_id) -> bool:
    membership = request.membership
    return membership.pk == owner_id or holds_role(membership, Role.TREASURER)


# Serializers


class ReceiptFileSerializer(serializers.ModelSerializer):
    file_name = serializers.CharField(source="original_name")

    class Meta:
        model = ReceiptFile
        fields = ["id", "file_name", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class ItemSerializer(serializers.Serializer):
    """What expenses and advances share."""

    number = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    budget = serializers.CharField(help_text="The code of the project's budget account.")
    project = serializers.CharField(help_text="The title of the project.")
    amount = serializers.CharField()
    currency = serializers.CharField()
    payee_iban = serializers.CharField(
        allow_null=True, help_text="Shown to the person it is theirs and to the treasurer only."
    )
    first_approver = serializers.IntegerField(allow_null=True, help_text="Member number.")
    second_approver = serializers.IntegerField(allow_null=True, help_text="Member number.")
    approved_at = serializers.DateTimeField(allow_null=True)
    rejection_reason = serializers.CharField()
    batch = serializers.IntegerField(allow_null=True, help_text="The payment batch's number.")
    end_to_end_id = serializers.CharField(
        help_text="The payment's id at the bank; empty until paid."
    )
    receipts = ReceiptFileSerializer(many=True)

    def common(self, item, owner_id) -> dict:
        request = self.context["request"]
        return {
            "number": item.number,
            "status": item.status,
            "status_label": str(item.get_status_display()),
            "budget": item.budget.code,
            "project": selectors.project_title(item.budget),
            "amount": _money(item.amount),
            "currency": item.currency,
            "payee_iban": item.payee_iban if _shows_iban(request, owner_id) else None,
            "first_approver": _number(item.first_approver),
            "second_approver": _number(item.second_approver),
            "approved_at": serializers.DateTimeField().to_representation(item.approved_at)
            if item.approved_at
            else None,
            "rejection_reason": item.rejection_reason,
            "batch": item.batch.number if item.batch_id else None,
            "end_to_end_id": item.end_to_end_id,
        }


class ExpenseSerializer(ItemSerializer):
    kind = serializers.ChoiceField(choices=ExpenseKind.choices)
    claimant = serializers.IntegerField(allow_null=True, help_text="Member number.")
    supplier_name = serializers.CharField()
    description = serializers.CharField()
    spent_on = serializers.DateField()
    advance = serializers.IntegerField(
        allow_null=True, help_text="The advance whose difference this claims, if any."
    )

    def to_representation(self, expense):
        files = expense.advance.receipts.all() if expense.advance_id else expense.receipts.all()
        return self.common(expense, expense.claimant_id) | {
            "kind": expense.kind,
            "claimant": _number(expense.claimant),
            "supplier_name": expense.supplier_name,
            "description": expense.description,
            "spent_on": expense.spent_on.isoformat(),
            "advance": expense.advance.number if expense.advance_id else None,
            "receipts": ReceiptFileSerializer(files, many=True).data,
        }


class AdvanceSerializer(ItemSerializer):
    holder = serializers.IntegerField(help_text="Member number.")
    purpose = serializers.CharField()
    paid_on = serializers.DateField(allow_null=True)
    spent = serializers.CharField(allow_null=True)
    to_return = serializers.CharField()
    returned_on = serializers.DateField(allow_null=True)
    difference_claim = serializers.IntegerField(
        allow_null=True, help_text="The expense that claims what was spent above the advance."
    )
    age_in_days = serializers.IntegerField(
        required=False, help_text="Days since it was paid (open advances only)."
    )

    def to_representation(self, advance):
        claim = getattr(advance, "difference_claim", None)
        data = self.common(advance, advance.holder_id) | {
            "holder": advance.holder.member_number,
            "purpose": advance.purpose,
            "paid_on": advance.paid_on.isoformat() if advance.paid_on else None,
            "spent": _money(advance.spent),
            "to_return": _money(advance.to_return),
            "returned_on": advance.returned_on.isoformat() if advance.returned_on else None,
            "difference_claim": claim.number if claim else None,
            "receipts": ReceiptFileSerializer(advance.receipts.all(), many=True).data,
        }
        if hasattr(advance, "age"):
            data["age_in_days"] = advance.age
        return data


class StatusQuerySerializer(serializers.Serializer):
    status = serializers.CharField(required=False)


def _amount_field(**options):
    return serializers.CharField(
        max_length=20, help_text='For example "45.50" (or "45,50").', **options
    )


def _iban_field():
    return serializers.CharField(max_length=60, help_text="For example NL91ABNA0417164300.")


class SubmitExpenseSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=ExpenseKind.choices,
        default=ExpenseKind.CLAIM,
        help_text="claim: your own money back; invoice: a supplier's (treasurer, board, coordinator).",
    )
    budget = serializers.CharField(
        max_length=20, help_text="The code of the project's budget account."
    )
    amount = _amount_field()
    description = serializers.CharField(max_length=300)
    spent_on = serializers.DateField()
    payee_iban = _iban_field()
    supplier_name = serializers.CharField(max_length=70, required=False, default="")
    receipt = serializers.FileField(
        allow_empty_file=True, help_text="The receipt: a PDF, JPEG or PNG of at most 10 MB."
    )


class RejectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)


class RequestAdvanceSerializer(serializers.Serializer):
    budget = serializers.CharField(
        max_length=20, help_text="The code of the project's budget account."
    )
    amount = _amount_field()
    purpose = serializers.CharField(max_length=300)
    payee_iban = _iban_field()


class SettleAdvanceSerializer(serializers.Serializer):
    spent = _amount_field()
    receipts = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        required=False,
        max_length=MAX_RECEIPTS,
        help_text="One part per receipt: PDF, JPEG or PNG, at most 10 MB each.",
    )


class ReturnSerializer(serializers.Serializer):
    received_on = serializers.DateField(required=False)


class MakeBatchSerializer(serializers.Serializer):
    bank_account = serializers.IntegerField(min_value=1, max_value=MAX_INT)
    expenses = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_INT),
        required=False,
        max_length=services.MAX_BATCH_ITEMS,
        help_text="Numbers of approved expenses.",
    )
    advances = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_INT),
        required=False,
        max_length=services.MAX_BATCH_ITEMS,
        help_text="Numbers of approved advances.",
    )
    execution_date = serializers.DateField(required=False, help_text="Today when left out.")


class BatchSerializer(serializers.ModelSerializer):
    bank_account = serializers.IntegerField(source="bank_account_id")
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    expenses = serializers.SerializerMethodField()
    advances = serializers.SerializerMethodField()

    class Meta:
        model = PaymentBatch
        fields = [
            "number",
            "bank_account",
            "execution_date",
            "message_id",
            "total",
            "currency",
            "item_count",
            "file_sha256",
            "created_at",
            "expenses",
            "advances",
        ]
        read_only_fields = fields

    def get_expenses(self, batch) -> list[dict[str, str]]:
        return [
            {"number": e.number, "end_to_end_id": e.end_to_end_id, "amount": _money(e.amount)}
            for e in batch.expenses.order_by("number")
        ]

    def get_advances(self, batch) -> list[dict[str, str]]:
        return [
            {"number": a.number, "end_to_end_id": a.end_to_end_id, "amount": _money(a.amount)}
            for a in batch.advances.order_by("number")
        ]


# Finding what a request names


def _budget(cooperative, code) -> Account:
    found = Account.objects.filter(
        cooperative=cooperative, code=code, purpose=Purpose.PROJECT_BUDGET
    ).first()
    if found is None:
        raise DomainError(
            _("Choose one of this cooperative's project budgets."), field="budget", code="not_found"
        )
    return found


def _visible(request, model, number):
    item = get_object_or_404(
        model.objects.select_related(
            "budget__proposal", "first_approver", "second_approver", "batch"
        ),
        cooperative=request.cooperative,
        number=number,
    )
    if not selectors.may_see(request.membership, item):
        raise Http404
    return item


def _upload(upload, field) -> tuple[bytes, str]:
    receipts.check_size(upload.size, field=field)
    return upload.read(), upload.name


def _status_filter(request, choices) -> str:
    query = StatusQuerySerializer(data=request.query_params)
    value = query.validated_data.get("status", "") if query.is_valid() else "?"
    if value and value not in choices:
        raise DomainError(_("Choose a status from the list."), field="status", code="invalid")
    return value


def _status_parameter(choices):
    return OpenApiParameter(
        "status", OpenApiTypes.STR, enum=choices.values, description="Only those with this status."
    )


# Expenses


class ExpensesView(CooperativeListView):
    """The expenses a person may see, newest first: all for the treasurer, the board and the
    audit committee; otherwise those they claimed or entered and those of projects they lead.
    A member claims money back, or the treasurer, board or a coordinator enters an invoice
    (multipart, with the receipt)."""

    cooperative_roles = RESIDENT_ROLES
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = ExpenseSerializer

    @extend_schema(
        parameters=[_status_parameter(ExpenseStatus)],
        responses={200: ExpenseSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request, slug):
        status_ = _status_filter(request, ExpenseStatus.values)
        found = selectors.expenses_for(request.cooperative, request.membership, status=status_)
        page = self.paginate_queryset(
            found.select_related(
                "first_approver", "second_approver", "batch", "advance"
            ).prefetch_related("receipts")
        )
        return self.get_paginated_response(
            ExpenseSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        request={"multipart/form-data": SubmitExpenseSerializer},
        responses={201: ExpenseSerializer},
    )
    def post(self, request, slug):
        serializer = SubmitExpenseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        content, name = _upload(data.pop("receipt"), "receipt")
        data["budget"] = _budget(request.cooperative, data["budget"])
        expense = services.submit_expense(
            request.cooperative, actor=request.user, receipt=content, receipt_name=name, **data
        )
        return Response(
            ExpenseSerializer(
                _visible(request, Expense, expense.number), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )


class ExpenseView(CooperativeAPIView):
    """One expense, by its number, with its receipts."""

    cooperative_roles = RESIDENT_ROLES

    @extend_schema(responses=ExpenseSerializer)
    def get(self, request, slug, number):
        expense = _visible(request, Expense, number)
        return Response(ExpenseSerializer(expense, context={"request": request}).data)


class ApproveExpenseView(CooperativeAPIView):
    """One of the two approvals of an expense (treasurer, board or the project's lead; never
    the claimant, never who entered it, never twice by one person)."""

    cooperative_roles = RESIDENT_ROLES

    @extend_schema(request=None, responses=ExpenseSerializer)
    def post(self, request, slug, number):
        services.approve_expense(_visible(request, Expense, number), actor=request.user)
        expense = _visible(request, Expense, number)
        return Response(ExpenseSerializer(expense, context={"request": request}).data)


class RejectExpenseView(CooperativeAPIView):
    """An approver rejects an expense not yet paid, with a reason the claimant reads."""

    cooperative_roles = RESIDENT_ROLES
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(request=RejectionSerializer, responses=ExpenseSerializer)
    def post(self, request, slug, number):
        expense = _visible(request, Expense, number)
        serializer = RejectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.reject_expense(expense, actor=request.user, **serializer.validated_data)
        expense = _visible(request, Expense, number)
        return Response(ExpenseSerializer(expense, context={"request": request}).data)


class ReceiptView(CooperativeAPIView):
    """A receipt file, for those who may see its expense or advance."""

    cooperative_roles = RESIDENT_ROLES

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
        }
    )
    def get(self, request, slug, pk):
        found = get_object_or_404(
            ReceiptFile.objects.select_related("expense__budget", "advance__budget"),
            pk=pk,
            cooperative=request.cooperative,
        )
        if not selectors.may_see_receipt(request.membership, found):
            raise Http404
        try:
            handle = open(receipts.path_of(found.stored_name), "rb")  # noqa: SIM115 (FileResponse closes it)
        except (OSError, ValueError):
            raise Http404 from None
        extension = found.stored_name.rsplit(".", 1)[-1]
        response = FileResponse(
            handle, content_type=found.content_type, filename=f"receipt-{found.pk}.{extension}"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# Advances


class AdvancesView(CooperativeListView):
    """The advances a person may see, newest first. A resident asks for one."""

    cooperative_roles = RESIDENT_ROLES
    serializer_class = AdvanceSerializer

    @extend_schema(
        parameters=[_status_parameter(AdvanceStatus)],
        responses={200: AdvanceSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request, slug):
        status_ = _status_filter(request, AdvanceStatus.values)
        found = selectors.advances_for(request.cooperative, request.membership, status=status_)
        page = self.paginate_queryset(
            found.select_related("first_approver", "second_approver", "batch").prefetch_related(
                "receipts"
            )
        )
        return self.get_paginated_response(
            AdvanceSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(request=RequestAdvanceSerializer, responses={201: AdvanceSerializer})
    def post(self, request, slug):
        serializer = RequestAdvanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["budget"] = _budget(request.cooperative, data["budget"])
        advance = services.request_advance(request.cooperative, actor=request.user, **data)
        return Response(
            AdvanceSerializer(
                _visible(request, Advance, advance.number), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )


class OpenAdvancesView(CooperativeAPIView):
    """Advances paid and not yet settled, or with money still to be returned, oldest first,
    with their age in days: for the treasurer, the board and the audit committee."""

    cooperative_roles = BATCH_READ_ROLES

    @extend_schema(responses=AdvanceSerializer(many=True))
    def get(self, request, slug):
        found = selectors.open_advances(request.cooperative)
        return Response(AdvanceSerializer(found, many=True, context={"request": request}).data)


class AdvanceView(CooperativeAPIView):
    """One advance, by its number, with its receipts."""

    cooperative_roles = RESIDENT_ROLES

    @extend_schema(responses=AdvanceSerializer)
    def get(self, request, slug, number):
        advance = _visible(request, Advance, number)
        return Response(AdvanceSerializer(advance, context={"request": request}).data)


class ApproveAdvanceView(CooperativeAPIView):
    """One of the two approvals of an advance."""

    cooperative_roles = RESIDENT_ROLES

    @extend_schema(request=None, responses=AdvanceSerializer)
    def post(self, request, slug, number):
        services.approve_advance(_visible(request, Advance, number), actor=request.user)
        advance = _visible(request, Advance, number)
        return Response(AdvanceSerializer(advance, context={"request": request}).data)


class RejectAdvanceView(CooperativeAPIView):
    """An approver rejects an advance not yet paid, with a reason the resident reads."""

    cooperative_roles = RESIDENT_ROLES

    @extend_schema(request=RejectionSerializer, responses=AdvanceSerializer)
    def post(self, request, slug, number):
        advance = _visible(request, Advance, number)
        serializer = RejectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.reject_advance(advance, actor=request.user, **serializer.validated_data)
        advance = _visible(request, Advance, number)
        return Response(AdvanceSerializer(advance, context={"request": request}).data)


class SettleAdvanceView(CooperativeAPIView):
    """The resident (or the treasurer) settles a paid advance: what was spent, with a receipt
    per purchase (multipart). Settled once."""

    cooperative_roles = RESIDENT_ROLES
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": SettleAdvanceSerializer}, responses=AdvanceSerializer
    )
    def post(self, request, slug, number):
        advance = _visible(request, Advance, number)
        data = {"spent": request.data.get("spent")}
        if hasattr(request.data, "getlist"):
            data["receipts"] = request.data.getlist("receipts")
        serializer = SettleAdvanceSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        files = [
            _upload(upload, "receipts") for upload in serializer.validated_data.get("receipts", [])
        ]
        services.settle_advance(
            advance,
            actor=request.user,
            spent=serializer.validated_data["spent"],
            receipts_files=files,
        )
        advance = _visible(request, Advance, number)
        return Response(AdvanceSerializer(advance, context={"request": request}).data)


class AdvanceReturnView(CooperativeAPIView):
    """The treasurer records the money a resident returned of an advance."""

    cooperative_roles = RESIDENT_ROLES

    @extend_schema(request=ReturnSerializer, responses=AdvanceSerializer)
    def post(self, request, slug, number):
        advance = _visible(request, Advance, number)
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_advance_return(advance, actor=request.user, **serializer.validated_data)
        advance = _visible(request, Advance, number)
        return Response(AdvanceSerializer(advance, context={"request": request}).data)


# Payment batches


def _items(model, cooperative, numbers, field):
    numbers = list(dict.fromkeys(numbers or []))
    found = {
        item.number: item
        for item in model.objects.filter(cooperative=cooperative, number__in=numbers)
    }
    missing = [n for n in numbers if n not in found]
    if missing:
        raise DomainError(
            _("There is no expense or advance with number %(number)s.") % {"number": missing[0]},
            field=field,
            code="not_found",
        )
    return [found[n] for n in numbers]


class BatchesView(CooperativeListView):
    """The payment batches, newest first. The treasurer pays approved expenses and advances
    (by number) from one of the cooperative's bank accounts: one booking, one SEPA file."""

    cooperative_roles = BATCH_READ_ROLES
    serializer_class = BatchSerializer

    @extend_schema(responses=BatchSerializer(many=True))
    def get(self, request, slug):
        page = self.paginate_queryset(selectors.batches(request.cooperative))
        return self.get_paginated_response(BatchSerializer(page, many=True).data)

    @extend_schema(request=MakeBatchSerializer, responses={201: BatchSerializer})
    def post(self, request, slug):
        serializer = MakeBatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cooperative = request.cooperative
        account = BankAccount.objects.filter(
            cooperative=cooperative, pk=data["bank_account"]
        ).first()
        if account is None:
            raise DomainError(
                _("Choose one of this cooperative's bank accounts."),
                field="bank_account",
                code="not_found",
            )
        batch = services.make_payment_batch(
            cooperative,
            actor=request.user,
            bank_account=account,
            expenses=_items(Expense, cooperative, data.get("expenses"), "expenses"),
            advances=_items(Advance, cooperative, data.get("advances"), "advances"),
            execution_date=data.get("execution_date"),
        )
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class BatchView(CooperativeAPIView):
    """One payment batch, with the end-to-end id of each item it pays."""

    cooperative_roles = BATCH_READ_ROLES

    @extend_schema(responses=BatchSerializer)
    def get(self, request, slug, number):
        return Response(
            BatchSerializer(
                get_object_or_404(selectors.batches(request.cooperative), number=number)
            ).data
        )


class BatchFileView(CooperativeAPIView):
    """The batch's SEPA credit-transfer file (pain.001.001.03), for the treasurer."""

    cooperative_roles = (Role.TREASURER,)

    @extend_schema(responses={(200, "application/xml"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request, slug, number):
        batch = get_object_or_404(selectors.batches(request.cooperative), number=number)
        response = HttpResponse(bytes(batch.file), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{batch.message_id}.xml"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
