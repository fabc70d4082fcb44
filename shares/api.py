"""/api/v1/c/<slug>/shares/: classes, subscriptions and their decisions, transfers, buy-backs,
shares given back, one's own holding and the register."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from moneyed import Money
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from members.models import Membership, Role
from members.permissions import CooperativeRolePermission, holds_role
from shares import selectors, services
from shares.exports import register_rows
from shares.models import (
    PaymentMethod,
    ShareClass,
    Subscription,
    SubscriptionStatus,
    TransferRequest,
    TransferRequestStatus,
)
from wijkbv.api import AutoSchema, ErrorSerializer
from wijkbv.errors import DomainError

REGISTER_ROLES = (Role.BOARD, Role.TREASURER, Role.AUDIT_COMMITTEE)
MAX_INT = 2**31 - 1
MAX_SHARES = services.MAX_SHARES


def _count():
    return serializers.IntegerField(min_value=1, max_value=MAX_SHARES)


def _member_number():
    return serializers.IntegerField(min_value=1, max_value=MAX_INT)


class ShareClassSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    nominal_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    votes_per_share = serializers.IntegerField()
    max_per_member = serializers.IntegerField(allow_null=True)
    is_transferable = serializers.BooleanField()
    requires_board_approval = serializers.BooleanField()
    authorised_shares = serializers.IntegerField()
    issued = serializers.IntegerField()
    available = serializers.IntegerField()

    def to_representation(self, availability):
        share_class = availability.share_class
        return {
            "code": share_class.code,
            "name": share_class.name,
            "nominal_value": f"{share_class.nominal_amount:.2f}",
            "currency": share_class.currency,
            "votes_per_share": share_class.votes_per_share,
            "max_per_member": share_class.max_per_member,
            "is_transferable": share_class.is_transferable,
            "requires_board_approval": share_class.requires_board_approval,
            "authorised_shares": share_class.authorised_shares,
            "issued": availability.issued,
            "available": availability.available,
        }


class ShareClassCreateSerializer(serializers.Serializer):
    # Not "code": a refusal's body has a "code" of its own.
    class_code = serializers.CharField(max_length=10, help_text="A short code, such as A.")
    name = serializers.CharField(max_length=100)
    nominal_value = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=Decimal("0.01")
    )
    authorised_shares = _count()
    votes_per_share = serializers.IntegerField(min_value=0, max_value=1000, default=1)
    max_per_member = serializers.IntegerField(
        min_value=1, max_value=MAX_SHARES, allow_null=True, default=None
    )
    is_transferable = serializers.BooleanField(default=True)
    requires_board_approval = serializers.BooleanField(default=True)


class SubscriptionSerializer(serializers.ModelSerializer):
    # A plain string in the schema: an enum named "status" would collide with the members'.
    status = serializers.CharField(
        help_text="One of: " + ", ".join(SubscriptionStatus.values) + "."
    )
    member_number = serializers.IntegerField(source="membership.member_number")
    share_class = serializers.CharField(source="share_class.code")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    reason = serializers.CharField(source="closed_reason")

    class Meta:
        model = Subscription
        fields = [
            "id",
            "member_number",
            "share_class",
            "count",
            "amount",
            "currency",
            "method",
            "status",
            "payment_reference",
            "requested_at",
            "paid_on",
            "approved_at",
            "deed_date",
            "notary",
            "issued_on",
            "reason",
        ]
        read_only_fields = fields


class SubscribeSerializer(serializers.Serializer):
    share_class = serializers.CharField(max_length=10, help_text="The class's code, such as A.")
    count = _count()
    method = serializers.ChoiceField(
        choices=[
            (PaymentMethod.BANK, PaymentMethod.BANK.label),
            (PaymentMethod.STRIPE, PaymentMethod.STRIPE.label),
        ],
        default=PaymentMethod.BANK,
    )


class PaymentSerializer(serializers.Serializer):
    paid_on = serializers.DateField(required=False, help_text="Today when not given.")


class DeedSerializer(serializers.Serializer):
    deed_date = serializers.DateField(help_text="Date of the notarial deed of issue.")
    notary = serializers.CharField(max_length=150)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class IssueSerializer(serializers.Serializer):
    issued_on = serializers.DateField(required=False, help_text="Today when not given.")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TransferSerializer(serializers.Serializer):
    from_member_number = _member_number()
    to_member_number = _member_number()
    share_class = serializers.CharField(max_length=10)
    count = _count()
    transferred_on = serializers.DateField(required=False, help_text="Today when not given.")
    deed_date = serializers.DateField(help_text="Date of the notarial deed of transfer.")
    notary = serializers.CharField(max_length=150)


class TransferDoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    share_class = serializers.CharField(source="share_class.code")
    count = serializers.IntegerField()
    from_member_number = serializers.IntegerField(source="from_membership.member_number")
    to_member_number = serializers.IntegerField(source="to_membership.member_number")
    certificates = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField())
    )
    transferred_on = serializers.DateField()
    deed_date = serializers.DateField()
    notary = serializers.CharField()


class AskTransferSerializer(serializers.Serializer):
    share_class = serializers.CharField(max_length=10)
    count = _count()
    to_member_number = _member_number()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ShareTransferRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    share_class = serializers.CharField(source="share_class.code")
    count = serializers.IntegerField()
    from_member_number = serializers.IntegerField(source="from_membership.member_number")
    to_member_number = serializers.IntegerField(source="to_membership.member_number")
    note = serializers.CharField()
    status = serializers.ChoiceField(choices=TransferRequestStatus.choices)
    requested_at = serializers.DateTimeField()
    reason = serializers.CharField()
    transfer = serializers.IntegerField(source="transfer_id", allow_null=True)


class CarryOutSerializer(serializers.Serializer):
    transferred_on = serializers.DateField(required=False, help_text="Today when not given.")
    deed_date = serializers.DateField(help_text="Date of the notarial deed of transfer.")
    notary = serializers.CharField(max_length=150)


class MemberSharesSerializer(serializers.Serializer):
    member_number = _member_number()
    share_class = serializers.CharField(max_length=10)
    count = _count()
    on_date = serializers.DateField(required=False, help_text="Today when not given.")


class CancellationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    member_number = serializers.IntegerField(source="membership.member_number")
    share_class = serializers.CharField(source="share_class.code")
    count = serializers.IntegerField()
    certificates = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField())
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    cancelled_on = serializers.DateField()


class LotSerializer(serializers.Serializer):
    share_class = serializers.CharField(source="share_class.code")
    count = serializers.IntegerField()
    certificates = serializers.CharField()
    acquired_on = serializers.DateField()
    paid_up = serializers.SerializerMethodField()

    def get_paid_up(self, lot) -> str:
        return f"{lot.paid_up.amount:.2f}"


class HoldingSerializer(serializers.Serializer):
    member_number = serializers.IntegerField()
    voting_weight = serializers.IntegerField()
    lots = LotSerializer(many=True)


class RegisterLineSerializer(serializers.Serializer):
    member_number = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    share_class = serializers.CharField()
    count = serializers.IntegerField()
    certificates = serializers.CharField()
    acquired_on = serializers.DateField()
    paid_up = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()


class RegisterSerializer(serializers.Serializer):
    at = serializers.DateField()
    lines = RegisterLineSerializer(many=True)


def _share_class(cooperative, code: str) -> ShareClass:
    found = ShareClass.objects.filter(cooperative=cooperative, code=code.strip().upper()).first()
    if found is None:
        raise DomainError(
            _("There is no class of shares %(code)s.") % {"code": code}, field="share_class"
        )
    return found


def _holder(cooperative, number: int, field: str) -> Membership:
    found = Membership.objects.filter(cooperative=cooperative, member_number=number).first()
    if found is None:
        raise DomainError(
            _("There is no member with this number."), field=field, code="not_a_member"
        )
    return found


class CooperativeAPIView(APIView):
    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]


class ShareClassesView(CooperativeAPIView):
    """Classes of shares with what is issued and still available; the board adds one."""

    @extend_schema(responses=ShareClassSerializer(many=True))
    def get(self, request, slug):
        return Response(
            ShareClassSerializer(selectors.share_classes(request.cooperative), many=True).data
        )

    @extend_schema(request=ShareClassCreateSerializer, responses={201: ShareClassSerializer})
    def post(self, request, slug):
        serializer = ShareClassCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["nominal_value"] = Money(data["nominal_value"], request.cooperative.currency)
        created = services.create_share_class(
            request.cooperative, actor=request.user, code=data.pop("class_code"), **data
        )
        (availability,) = [
            a for a in selectors.share_classes(request.cooperative) if a.share_class == created
        ]
        return Response(ShareClassSerializer(availability).data, status=status.HTTP_201_CREATED)


class SubscriptionsView(generics.GenericAPIView):
    """Requests for shares: a member sees their own, the board, treasurer and audit committee
    everyone's. A member asks for shares; the answer carries the payment reference for a bank
    transfer."""

    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]
    serializer_class = SubscriptionSerializer

    def get_queryset(self):
        if holds_role(self.request.membership, *REGISTER_ROLES):
            return selectors.subscriptions(self.request.cooperative)
        return selectors.subscriptions_of(self.request.membership)

    @extend_schema(responses=SubscriptionSerializer(many=True))
    def get(self, request, slug):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SubscriptionSerializer(page, many=True).data)

    @extend_schema(request=SubscribeSerializer, responses={201: SubscriptionSerializer})
    def post(self, request, slug):
        serializer = SubscribeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subscription = services.subscribe_to_shares(
            _share_class(request.cooperative, data["share_class"]),
            actor=request.user,
            count=data["count"],
            method=data["method"],
        )
        return Response(SubscriptionSerializer(subscription).data, status=status.HTTP_201_CREATED)


def _visible_subscription(request, pk) -> Subscription:
    queryset = Subscription.objects.select_related("share_class", "membership").filter(
        cooperative=request.cooperative
    )
    if not holds_role(request.membership, *REGISTER_ROLES):
        queryset = queryset.filter(membership=request.membership)
    return get_object_or_404(queryset, pk=pk)


class SubscriptionView(CooperativeAPIView):
    """One request for shares (one's own, or any for the board, treasurer and audit
    committee)."""

    @extend_schema(responses=SubscriptionSerializer)
    def get(self, request, slug, pk):
        return Response(SubscriptionSerializer(_visible_subscription(request, pk)).data)


class DecisionView(CooperativeAPIView):
    """A decision on one subscription: the serializer parses, the service decides."""

    request_serializer = serializers.Serializer

    def decide(self, subscription, actor, data):
        raise NotImplementedError

    def post(self, request, slug, pk):
        subscription = _visible_subscription(request, pk)
        serializer = self.request_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.decide(subscription, request.user, dict(serializer.validated_data))
        subscription.refresh_from_db()
        return Response(SubscriptionSerializer(subscription).data)


def _decision(name, serializer, service, doc):
    view = type(
        name,
        (DecisionView,),
        {
            "__doc__": doc,
            "request_serializer": serializer,
            "decide": lambda self, subscription, actor, data: service(
                subscription, actor=actor, **data
            ),
        },
    )
    view.post = extend_schema(request=serializer, responses=SubscriptionSerializer)(view.post)
    return view


PaymentView = _decision(
    "PaymentView",
    PaymentSerializer,
    services.record_subscription_payment,
    "The treasurer records the bank payment of a subscription (bank to share capital).",
)
ApproveView = _decision(
    "ApproveView",
    DeedSerializer,
    services.approve_subscription,
    "A board member who is not the subscriber approves it, with the date of the notarial deed "
    "and the notary: Dutch law requires a notarial deed for issuing shares of a BV.",
)
RefuseView = _decision(
    "RefuseView",
    ReasonSerializer,
    services.refuse_subscription,
    "The board refuses, with a reason.",
)
IssueView = _decision(
    "IssueView",
    IssueSerializer,
    services.issue_shares,
    "Issue an approved, paid subscription with the next certificate numbers of its class.",
)
CancelView = _decision(
    "CancelView",
    CancelSerializer,
    services.cancel_subscription,
    "The subscriber (or the board) withdraws a subscription that has not been paid.",
)
RefundView = _decision(
    "RefundView",
    ReasonSerializer,
    services.refund_subscription_payment,
    "The treasurer pays a subscription's money back; the payment's booking is reversed.",
)


class OnlinePaymentSerializer(serializers.Serializer):
    payment = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    amount = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()
    pay_url = serializers.SerializerMethodField(
        help_text="Our pay page, with Stripe's form, for the payer to open in a browser."
    )
    payment_intent = serializers.CharField(source="stripe_payment_intent_id")

    def get_amount(self, payment) -> str:
        return f"{payment.amount.amount:.2f}"

    def get_currency(self, payment) -> str:
        return str(payment.amount.currency)

    def get_pay_url(self, payment) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("payments:pay", args=[payment.pk])
        )


class PayOnlineView(CooperativeAPIView):
    """The subscriber pays their own open, unpaid subscription online: the answer names the
    online payment (the one still waiting, or a new one through Stripe) and the page to pay it
    on. The shares count as paid once Stripe confirms the payment."""

    @extend_schema(request=None, responses={201: OnlinePaymentSerializer})
    def post(self, request, slug, pk):
        payment = services.pay_subscription_online(
            _visible_subscription(request, pk), actor=request.user
        )
        return Response(
            OnlinePaymentSerializer(payment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class TransfersView(CooperativeAPIView):
    """Record a transfer of shares, with the notarial deed of transfer that Dutch law requires:
    a board member who is neither party, or the treasurer where the class needs no board
    approval."""

    cooperative_roles = (Role.BOARD, Role.TREASURER)

    @extend_schema(request=TransferSerializer, responses={201: TransferDoneSerializer})
    def post(self, request, slug):
        serializer = TransferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        holder = _holder(request.cooperative, data.pop("from_member_number"), "from_member_number")
        data["share_class"] = _share_class(request.cooperative, data["share_class"])
        transfer = services.transfer_shares(holder, actor=request.user, **data)
        return Response(TransferDoneSerializer(transfer).data, status=status.HTTP_201_CREATED)


class TransferRequestsView(generics.GenericAPIView):
    """Requests to transfer shares: a member asks to transfer some of their own shares to
    another member and sees their own requests; the board, treasurer and audit committee see
    everyone's."""

    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]
    serializer_class = ShareTransferRequestSerializer

    def get_queryset(self):
        if holds_role(self.request.membership, *REGISTER_ROLES):
            return selectors.transfer_requests(self.request.cooperative).order_by("-pk")
        return selectors.transfer_requests_of(self.request.membership)

    @extend_schema(responses=ShareTransferRequestSerializer(many=True))
    def get(self, request, slug):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ShareTransferRequestSerializer(page, many=True).data)

    @extend_schema(request=AskTransferSerializer, responses={201: ShareTransferRequestSerializer})
    def post(self, request, slug):
        serializer = AskTransferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        created = services.ask_to_transfer_shares(
            _share_class(request.cooperative, data.pop("share_class")), actor=request.user, **data
        )
        return Response(
            ShareTransferRequestSerializer(created).data, status=status.HTTP_201_CREATED
        )


def _visible_transfer_request(request, pk) -> TransferRequest:
    queryset = TransferRequest.objects.select_related(
        "share_class", "from_membership", "to_membership"
    ).filter(cooperative=request.cooperative)
    if not holds_role(request.membership, *REGISTER_ROLES):
        queryset = queryset.filter(from_membership=request.membership)
    return get_object_or_404(queryset, pk=pk)


class WithdrawTransferRequestView(CooperativeAPIView):
    """The member who asked withdraws their request to transfer shares."""

    @extend_schema(request=None, responses=ShareTransferRequestSerializer)
    def post(self, request, slug, pk):
        found = services.withdraw_transfer_request(
            _visible_transfer_request(request, pk), actor=request.user
        )
        return Response(ShareTransferRequestSerializer(found).data)


class RefuseTransferRequestView(CooperativeAPIView):
    """The board refuses a request to transfer shares, with a reason the member reads."""

    @extend_schema(request=ReasonSerializer, responses=ShareTransferRequestSerializer)
    def post(self, request, slug, pk):
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = services.refuse_transfer_request(
            _visible_transfer_request(request, pk), actor=request.user, **serializer.validated_data
        )
        return Response(ShareTransferRequestSerializer(found).data)


class CarryOutTransferRequestView(CooperativeAPIView):
    """Carry out a member's request to transfer shares by recording the transfer with the
    notarial deed that Dutch law requires."""

    cooperative_roles = (Role.BOARD, Role.TREASURER)

    @extend_schema(request=CarryOutSerializer, responses={201: TransferDoneSerializer})
    def post(self, request, slug, pk):
        found = _visible_transfer_request(request, pk)
        serializer = CarryOutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        transfer = services.transfer_shares(
            found.from_membership,
            actor=request.user,
            share_class=found.share_class,
            count=found.count,
            to_member_number=found.to_membership.member_number,
            request=found,
            **serializer.validated_data,
        )
        return Response(TransferDoneSerializer(transfer).data, status=status.HTTP_201_CREATED)


class RedemptionsView(CooperativeAPIView):
    """The treasurer records shares bought back at nominal value and paid out."""

    cooperative_roles = (Role.TREASURER,)

    @extend_schema(request=MemberSharesSerializer, responses={201: CancellationSerializer})
    def post(self, request, slug):
        serializer = MemberSharesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        cancellation = services.redeem_shares(
            _holder(request.cooperative, data["member_number"], "member_number"),
            actor=request.user,
            share_class=_share_class(request.cooperative, data["share_class"]),
            count=data["count"],
            paid_on=data.get("on_date"),
        )
        return Response(CancellationSerializer(cancellation).data, status=status.HTTP_201_CREATED)


class GiftsView(CooperativeAPIView):
    """The board accepts shares a member gives back to the cooperative; they are cancelled."""

    cooperative_roles = (Role.BOARD,)

    @extend_schema(request=MemberSharesSerializer, responses={201: CancellationSerializer})
    def post(self, request, slug):
        serializer = MemberSharesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        cancellation = services.gift_shares_back(
            _holder(request.cooperative, data["member_number"], "member_number"),
            actor=request.user,
            share_class=_share_class(request.cooperative, data["share_class"]),
            count=data["count"],
            given_on=data.get("on_date"),
        )
        return Response(CancellationSerializer(cancellation).data, status=status.HTTP_201_CREATED)


class HoldingView(CooperativeAPIView):
    """The logged-in member's shares today and their voting weight."""

    @extend_schema(responses=HoldingSerializer)
    def get(self, request, slug):
        membership = request.membership
        body = {
            "member_number": membership.member_number,
            "voting_weight": selectors.voting_weight(membership, request.cooperative),
            "lots": selectors.holding(membership),
        }
        return Response(HoldingSerializer(body).data)


class AtSerializer(serializers.Serializer):
    at = serializers.DateField(required=False)


class RegisterView(CooperativeAPIView):
    """The share register (aandeelhoudersregister) today or at the end of a past date."""

    cooperative_roles = REGISTER_ROLES

    @extend_schema(
        parameters=[OpenApiParameter("at", OpenApiTypes.DATE, description="Today when not given.")],
        responses={200: RegisterSerializer, 400: ErrorSerializer},
    )
    def get(self, request, slug):
        query = AtSerializer(data=request.query_params)
        if not query.is_valid():
            return Response(
                {"detail": _("Give the date as YYYY-MM-DD."), "code": "invalid"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        at = query.validated_data.get("at") or timezone.localdate()
        rows = register_rows(selectors.register_lines(request.cooperative, at=at))
        return Response(RegisterSerializer({"at": at, "lines": rows}).data)


urlpatterns = [
    path("c/<slug:slug>/shares/classes/", ShareClassesView.as_view(), name="api-share-classes"),
    path(
        "c/<slug:slug>/shares/subscriptions/",
        SubscriptionsView.as_view(),
        name="api-share-subscriptions",
    ),
    path(
        "c/<slug:slug>/shares/subscriptions/<int:pk>/",
        SubscriptionView.as_view(),
        name="api-share-subscription",
    ),
    path(
        "c/<slug:slug>/shares/subscriptions/<int:pk>/payment/",
        PaymentView.as_view(),
        name="api-share-subscription-payment",
    ),
    path(
        "c/<slug:slug>/shares/subscriptions/<int:pk>/approve/",
        ApproveView.as_view(),
        name="api-share-subscription-approve",
    ),
    path(
        "c/<slug:slug>/shares/subscriptions/<int:pk>/refuse/",
        RefuseView.as_view(),
        name="api-share-subscription-refuse",
    ),
    path(
        "c/<slug:slug>/shares/subscriptions/<int:pk>/issue/",
        IssueView.as_view(),
        name="api-share-subscription-issue",
    ),
    path(
        "c/<slug:slug>/shares/subscriptions/<int:pk>/cancel/",
        CancelView.as_view(),
        name="api-share-subscription-cancel",
    ),
    path(
        "c/<slug:slug>/shares/subscriptions/<int:pk>/refund/",
        RefundView.as_view(),
        name="api-share-subscription-refund",
    ),
    path(
        "c/<slug:slug>/shares/subscriptions/<int:pk>/pay-online/",
        PayOnlineView.as_view(),
        name="api-share-subscription-pay-online",
    ),
    path("c/<slug:slug>/shares/transfers/", TransfersView.as_view(), name="api-share-transfers"),
    path(
        "c/<slug:slug>/shares/transfer-requests/",
        TransferRequestsView.as_view(),
        name="api-share-transfer-requests",
    ),
    path(
        "c/<slug:slug>/shares/transfer-requests/<int:pk>/withdraw/",
        WithdrawTransferRequestView.as_view(),
        name="api-share-transfer-request-withdraw",
    ),
    path(
        "c/<slug:slug>/shares/transfer-requests/<int:pk>/refuse/",
        RefuseTransferRequestView.as_view(),
        name="api-share-transfer-request-refuse",
    ),
    path(
        "c/<slug:slug>/shares/transfer-requests/<int:pk>/carry-out/",
        CarryOutTransferRequestView.as_view(),
        name="api-share-transfer-request-carry-out",
    ),
    path(
        "c/<slug:slug>/shares/redemptions/",
        RedemptionsView.as_view(),
        name="api-share-redemptions",
    ),
    path("c/<slug:slug>/shares/gifts/", GiftsView.as_view(), name="api-share-gifts"),
    path("c/<slug:slug>/shares/holding/", HoldingView.as_view(), name="api-share-holding"),
    path("c/<slug:slug>/shares/register/", RegisterView.as_view(), name="api-share-register"),
]
