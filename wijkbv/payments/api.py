"""/api/v1/c/<slug>/payments/stripe/payouts/: the cooperative's Stripe payouts (GET, newest
first, for the treasurer, the board and the audit committee) and a fetch of Stripe's balance
transactions and payouts (POST, the treasurer), as on the treasurer's page.

Amounts are strings with two decimals ("120.00")."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from members.permissions import CooperativeRolePermission
from wijkbv.api import AutoSchema
from wijkbv.payments import services
from wijkbv.payments.models import Payout, PayoutStatus
from wijkbv.payments.views import STRIPE_READ_ROLES


class PayoutSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(source="amount.amount", max_digits=18, decimal_places=2)
    currency = serializers.CharField(source="amount.currency.code")
    status = serializers.ChoiceField(
        choices=PayoutStatus.choices, help_text="The payout's status as Stripe reports it."
    )
    arrived = serializers.BooleanField(
        source="has_arrived", help_text="Whether a bank line has shown it arriving."
    )

    class Meta:
        model = Payout
        fields = [
            "id",
            "stripe_id",
            "amount",
            "currency",
            "arrival_date",
            "status",
            "arrived",
            "arrived_on",
        ]
        read_only_fields = fields


class FetchedSerializer(serializers.Serializer):
    fetch = serializers.IntegerField(source="fetch.pk", help_text="The number of this fetch.")
    fees = serializers.SerializerMethodField(help_text="New fees booked.")
    payouts = PayoutSerializer(many=True, help_text="New payouts booked.")
    reversed = PayoutSerializer(
        many=True,
        help_text="Payouts Stripe reports failed or cancelled, whose booking was reversed.",
    )
    not_booked = serializers.IntegerField(
        help_text="Fees and payouts read that could not be booked for this cooperative."
    )
    transaction = serializers.SerializerMethodField(
        help_text="The ledger transaction that booked them; null when nothing was booked."
    )

    def get_fees(self, fetched) -> int:
        return len(fetched.fees)

    def get_transaction(self, fetched) -> int | None:
        return fetched.transaction.pk if fetched.transaction is not None else None


class StripePayoutsView(generics.GenericAPIView):
    """The cooperative's Stripe payouts, newest first. A POST (the treasurer) fetches Stripe's
    new balance transactions and payouts and books their fees and payouts."""

    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]
    cooperative_roles = STRIPE_READ_ROLES
    serializer_class = PayoutSerializer

    @extend_schema(responses=PayoutSerializer(many=True))
    def get(self, request, slug):
        payouts = Payout.objects.filter(cooperative=request.cooperative).order_by(
            "-created_at", "-pk"
        )
        page = self.paginate_queryset(payouts)
        return self.get_paginated_response(PayoutSerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: FetchedSerializer})
    def post(self, request, slug):
        fetched = services.fetch_stripe_balance(request.cooperative, actor=request.user)
        return Response(FetchedSerializer(fetched).data)


urlpatterns = [
    path(
        "c/<slug:slug>/payments/stripe/payouts/",
        StripePayoutsView.as_view(),
        name="api-stripe-payouts",
    ),
]
