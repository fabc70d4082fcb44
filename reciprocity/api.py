"""/api/v1/c/<slug>/time/: one's own contributions, logging them (a coordinator also for a
resident), confirming and declining, what waits for one's confirmation, one's balance, the
activities, partner organisations' hours, the thank-you wall and earning a share by time; and
/api/v1/c/<slug>/open/time/, the public aggregates, without a login.

Hours and amounts are strings with two decimals ("1.50"), as everywhere in this API. People are
named by member number only."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from members.models import Cooperative, Membership, Role
from members.permissions import MEMBER_ADMIN_ROLES, CooperativeRolePermission, holds_role
from reciprocity import selectors, services
from reciprocity.models import (
    Activity,
    Beneficiary,
    Contribution,
    ContributionKind,
    ContributionStatus,
    ThanksListing,
)
from shares.api import SubscriptionSerializer
from shares.models import ShareClass
from wijkbv.api import OPEN_DATA, AutoSchema, ErrorSerializer
from wijkbv.errors import DomainError

MAX_INT = 2**31 - 1
MAX_MONTHS = selectors.MAX_MONTHS


def _id(**options):
    return serializers.IntegerField(min_value=1, max_value=MAX_INT, **options)


def _hours(**options):
    return serializers.DecimalField(max_digits=5, decimal_places=2, **options)


def _one_of(choices) -> str:
    return "One of: " + ", ".join(choices.values) + "."


class ContributionSerializer(serializers.ModelSerializer):
    # Plain strings in the schema: enums named "kind" and "status" would collide with others.
    kind = serializers.CharField(help_text=_one_of(ContributionKind))
    status = serializers.CharField(help_text=_one_of(ContributionStatus))
    beneficiary = serializers.CharField(help_text=_one_of(Beneficiary))
    member_number = serializers.IntegerField(
        source="contributor.member_number", help_text="Who gave it."
    )
    hours = _hours()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    activity = serializers.IntegerField(source="activity_id")
    activity_name = serializers.CharField(source="activity.name")
    place = serializers.IntegerField(source="place_id", allow_null=True)
    place_name = serializers.SerializerMethodField()
    beneficiary_member_number = serializers.SerializerMethodField()
    beneficiary_partner = serializers.IntegerField(source="beneficiary_partner_id", allow_null=True)
    beneficiary_partner_name = serializers.SerializerMethodField()
    logged_on_behalf = serializers.BooleanField(
        source="on_behalf", help_text="A coordinator logged it for the member."
    )
    reason = serializers.CharField(source="decline_reason", help_text="Why it was declined.")

    class Meta:
        model = Contribution
        fields = [
            "id",
            "member_number",
            "kind",
            "hours",
            "amount",
            "currency",
            "activity",
            "activity_name",
            "place",
            "place_name",
            "date",
            "beneficiary",
            "beneficiary_member_number",
            "beneficiary_partner",
            "beneficiary_partner_name",
            "note",
            "status",
            "logged_on_behalf",
            "logged_at",
            "decided_at",
            "reason",
        ]
        read_only_fields = fields

    def get_place_name(self, contribution) -> str | None:
        return contribution.place.name if contribution.place_id else None

    def get_beneficiary_member_number(self, contribution) -> int | None:
        member = contribution.beneficiary_member
        return member.member_number if member is not None else None

    def get_beneficiary_partner_name(self, contribution) -> str | None:
        partner = contribution.beneficiary_partner
        return partner.name if partner is not None else None


class LogSerializer(serializers.Serializer):
    activity = _id(help_text="The activity's id (see the activities).")
    hours = _hours(help_text="In quarter hours, such as 1.50; 0 only for in kind or money.")
    date = serializers.DateField(required=False, help_text="Today when not given.")
    kind = serializers.CharField(
        max_length=10, default=ContributionKind.TIME, help_text=_one_of(ContributionKind)
    )
    place = _id(required=False, allow_null=True, default=None)
    beneficiary = serializers.CharField(
        max_length=16, default=Beneficiary.NEIGHBOURHOOD, help_text=_one_of(Beneficiary)
    )
    beneficiary_member_number = _id(
        required=False, allow_null=True, default=None, help_text="For a member: their number."
    )
    beneficiary_partner = _id(
        required=False,
        allow_null=True,
        default=None,
        help_text="For a partner organisation: its id.",
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="Only for money given.",
    )
    contributor_member_number = _id(
        required=False,
        allow_null=True,
        default=None,
        help_text="A coordinator logging for a resident: the resident's number.",
    )


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The month's first day.")
    given = _hours()
    received = _hours()


class BalanceSerializer(serializers.Serializer):
    given = _hours(help_text="Confirmed hours given, in all.")
    received = _hours(help_text="Confirmed hours received from other members, in all.")
    months = MonthSerializer(many=True)


class MonthsQuerySerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=MAX_MONTHS, default=12)


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2999, required=False)


class ActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = ["id", "name", "description", "is_active"]
        read_only_fields = ["id", "is_active"]
        extra_kwargs = {"description": {"required": False, "default": ""}}


class PartnerHoursSerializer(serializers.Serializer):
    partner = serializers.IntegerField(source="partner.pk")
    name = serializers.CharField(source="partner.name")
    hours = _hours()
    contributions = serializers.IntegerField()
    people = serializers.IntegerField()


class WallSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=60)


class WallListingSerializer(serializers.Serializer):
    listed = serializers.BooleanField()
    display_name = serializers.CharField(allow_null=True)
    since = serializers.DateTimeField(allow_null=True)


def _group_fields():
    return {
        "hours": _hours(allow_null=True),
        "contributions": serializers.IntegerField(allow_null=True),
        "people": serializers.IntegerField(allow_null=True),
        "suppressed": serializers.BooleanField(
            help_text="Fewer than the smallest group shown: the numbers are left out."
        ),
    }


def _group_serializer(name: str, label_field):
    return type(name, (serializers.Serializer,), {**_group_fields(), **label_field})


TotalSerializer = _group_serializer("PublicTotal", {})
ActivityGroupSerializer = _group_serializer(
    "PublicActivityGroup", {"activity": serializers.CharField()}
)
PlaceGroupSerializer = _group_serializer("PublicPlaceGroup", {"place": serializers.CharField()})
MonthGroupSerializer = _group_serializer("PublicMonthGroup", {"month": serializers.DateField()})
PartnerGroupSerializer = _group_serializer(
    "PublicPartnerGroup", {"partner": serializers.CharField()}
)


class SocialValueSerializer(serializers.Serializer):
    hours = _hours()
    hourly_rate = serializers.SerializerMethodField()
    estimate = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()
    is_estimate = serializers.BooleanField()
    label = serializers.CharField()

    def get_hourly_rate(self, value) -> str:
        return f"{value['hourly_rate'].amount:.2f}"

    def get_estimate(self, value) -> str:
        return f"{value['estimate'].amount:.2f}"

    def get_currency(self, value) -> str:
        return value["estimate"].currency.code


class PublicAggregatesSerializer(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField()
    months = serializers.IntegerField()
    min_group_size = serializers.IntegerField()
    total = TotalSerializer()
    by_activity = ActivityGroupSerializer(many=True)
    by_place = PlaceGroupSerializer(many=True)
    by_month = MonthGroupSerializer(many=True)
    by_partner = PartnerGroupSerializer(many=True)
    social_value = SocialValueSerializer(
        allow_null=True,
        help_text="An estimate of the hours' value to society, for reports; never money owed "
        "or paid. Null when the cooperative has set no hourly rate.",
    )


# Finding what a request names, in the request's cooperative only.


def _in_cooperative(model, cooperative, pk, field: str, message: str):
    if pk is None:
        return None
    found = model.objects.filter(cooperative=cooperative, pk=pk).first()
    if found is None:
        raise DomainError(message, field=field, code="not_found")
    return found


def _member(cooperative, number, field: str) -> Membership | None:
    if number is None:
        return None
    found = selectors.member_for_number(cooperative, number)
    if found is None:
        raise DomainError(
            _("There is no member with this number."), field=field, code="not_a_member"
        )
    return found


def _visible_contribution(request, pk) -> Contribution:
    """One's own (given or received), or any of the cooperative for a coordinator."""
    queryset = Contribution.objects.select_related(
        "activity", "place", "contributor", "beneficiary_member", "beneficiary_partner"
    ).filter(cooperative=request.cooperative)
    if not holds_role(request.membership, Role.COORDINATOR):
        membership = request.membership
        queryset = queryset.filter(contributor=membership) | queryset.filter(
            beneficiary_member=membership
        )
    return get_object_or_404(queryset, pk=pk)


def _query(serializer_class, request, message: str):
    """The query's parameters, or a refusal with `message` naming the parameter in error."""
    query = serializer_class(data=request.query_params)
    if not query.is_valid():
        raise DomainError(message, field=next(iter(query.errors)))
    return query.validated_data


def _months(request) -> int:
    message = _("Give the number of months as a whole number from 1 to 120.")
    return _query(MonthsQuerySerializer, request, message)["months"]


class CooperativeAPIView(APIView):
    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]


class ContributionsView(generics.GenericAPIView):
    """The logged-in member's contributions, given and received, newest first. Logging one:
    it waits for the other side's confirmation. A coordinator may log for a resident by giving
    `contributor_member_number`."""

    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]
    serializer_class = ContributionSerializer

    def get_queryset(self):
        return selectors.contributions_for_member(self.request.membership)

    @extend_schema(responses=ContributionSerializer(many=True))
    def get(self, request, slug):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ContributionSerializer(page, many=True).data)

    @extend_schema(request=LogSerializer, responses={201: ContributionSerializer})
    def post(self, request, slug):
        serializer = LogSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        cooperative = request.cooperative
        activity = _in_cooperative(
            Activity,
            cooperative,
            data.pop("activity"),
            "activity",
            _("Choose one of this cooperative's activities."),
        )
        place = _in_cooperative(
            cooperative.places.model,
            cooperative,
            data.pop("place"),
            "place",
            _("Choose one of this cooperative's places."),
        )
        partner = _in_cooperative(
            cooperative.partner_organisations.model,
            cooperative,
            data.pop("beneficiary_partner"),
            "beneficiary_partner",
            _("Choose an active partner organisation of this cooperative."),
        )
        member = _member(
            cooperative, data.pop("beneficiary_member_number"), "beneficiary_member_number"
        )
        contributor = _member(
            cooperative, data.pop("contributor_member_number"), "contributor_member_number"
        )
        contribution = services.log_contribution(
            cooperative,
            actor=request.user,
            activity=activity,
            place=place,
            beneficiary_member=member,
            beneficiary_partner=partner,
            contributor=contributor,
            **data,
        )
        return Response(ContributionSerializer(contribution).data, status=status.HTTP_201_CREATED)


class ContributionView(CooperativeAPIView):
    """One contribution: one's own, one received, or any for a coordinator."""

    @extend_schema(responses=ContributionSerializer)
    def get(self, request, slug, pk):
        return Response(ContributionSerializer(_visible_contribution(request, pk)).data)


class ConfirmView(CooperativeAPIView):
    """The receiving member, or a coordinator, confirms a contribution that waits. Nobody
    confirms their own."""

    @extend_schema(request=None, responses={200: ContributionSerializer, 400: ErrorSerializer})
    def post(self, request, slug, pk):
        contribution = services.confirm_contribution(
            _visible_contribution(request, pk), actor=request.user
        )
        return Response(ContributionSerializer(contribution).data)


class DeclineView(CooperativeAPIView):
    """The receiving member, or a coordinator, declines a contribution that waits, with a
    reason the contributor reads."""

    @extend_schema(request=DeclineSerializer, responses=ContributionSerializer)
    def post(self, request, slug, pk):
        contribution = _visible_contribution(request, pk)
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contribution = services.decline_contribution(
            contribution, actor=request.user, **serializer.validated_data
        )
        return Response(ContributionSerializer(contribution).data)


class WaitingView(generics.GenericAPIView):
    """Contributions waiting for the logged-in member's confirmation: those they received, and
    for a coordinator those to the neighbourhood and partner organisations. Oldest first."""

    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]
    serializer_class = ContributionSerializer

    def get_queryset(self):
        return selectors.waiting_for(self.request.membership)

    @extend_schema(responses=ContributionSerializer(many=True))
    def get(self, request, slug):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ContributionSerializer(page, many=True).data)


class BalanceView(CooperativeAPIView):
    """The logged-in member's confirmed hours given and received, in all and per month."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "months", OpenApiTypes.INT, description="How many months back (1-120; 12)."
            )
        ],
        responses={200: BalanceSerializer, 400: ErrorSerializer},
    )
    def get(self, request, slug):
        months = _months(request)
        return Response(
            BalanceSerializer(selectors.balance(request.membership, months=months)).data
        )


class ActivitiesView(generics.GenericAPIView):
    """The cooperative's activities; coordinators and the board add one."""

    schema = AutoSchema()
    permission_classes = [IsAuthenticated, CooperativeRolePermission]
    serializer_class = ActivitySerializer

    def get_queryset(self):
        return Activity.objects.filter(cooperative=self.request.cooperative).order_by("name")

    @extend_schema(responses=ActivitySerializer(many=True))
    def get(self, request, slug):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ActivitySerializer(page, many=True).data)

    @extend_schema(request=ActivitySerializer, responses={201: ActivitySerializer})
    def post(self, request, slug):
        serializer = ActivitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = services.add_activity(
            request.cooperative, actor=request.user, **serializer.validated_data
        )
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class PartnerHoursView(CooperativeAPIView):
    """Confirmed hours the neighbourhood gave each partner organisation, by how many people:
    for coordinators, the board, the treasurer and the audit committee."""

    cooperative_roles = MEMBER_ADMIN_ROLES

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="All years when not given.")
        ],
        responses={200: PartnerHoursSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request, slug):
        message = _("Give the year as four digits, such as 2026.")
        year = _query(YearQuerySerializer, request, message).get("year")
        rows = selectors.partner_hours(request.cooperative, year=year)
        return Response(PartnerHoursSerializer(rows, many=True).data)


class WallView(CooperativeAPIView):
    """The logged-in member's place on the public thank-you wall: whether they are on it,
    joining it (or changing their name on it) and leaving it."""

    @extend_schema(responses=WallListingSerializer)
    def get(self, request, slug):
        return Response(WallListingSerializer(_listing(request.membership)).data)

    @extend_schema(request=WallSerializer, responses=WallListingSerializer)
    def post(self, request, slug):
        serializer = WallSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.join_thank_you_wall(
            request.membership, actor=request.user, **serializer.validated_data
        )
        return Response(WallListingSerializer(_listing(request.membership)).data)

    @extend_schema(
        responses={
            204: OpenApiResponse(description="The name is off the wall."),
            400: ErrorSerializer,
        }
    )
    def delete(self, request, slug):
        services.leave_thank_you_wall(request.membership, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HoursForShareSerializer(serializers.Serializer):
    share_class = serializers.CharField(
        allow_null=True, help_text="The class a share can be earned in; null where none can."
    )
    hours_per_share = serializers.IntegerField(allow_null=True)
    hours_to_spare = _hours(help_text="Confirmed hours given, less those paid into shares.")


class ShareForHoursView(CooperativeAPIView):
    """Earning a share by time, where the articles allow it: the logged-in member's confirmed
    hours still free for it, and asking for one share paid in kind with them. The request
    then waits for the board like any other."""

    @extend_schema(responses=HoursForShareSerializer)
    def get(self, request, slug):
        share_class = (
            ShareClass.objects.filter(
                cooperative=request.cooperative, hours_per_share__isnull=False
            )
            .order_by("code")
            .first()
        )
        body = {
            "share_class": share_class.code if share_class else None,
            "hours_per_share": share_class.hours_per_share if share_class else None,
            "hours_to_spare": selectors.hours_to_spare(request.membership),
        }
        return Response(HoursForShareSerializer(body).data)

    @extend_schema(request=None, responses={201: SubscriptionSerializer, 400: ErrorSerializer})
    def post(self, request, slug):
        subscription = services.ask_share_for_hours(request.membership, actor=request.user)
        return Response(SubscriptionSerializer(subscription).data, status=status.HTTP_201_CREATED)


def _listing(membership) -> dict:
    listing = ThanksListing.objects.filter(membership=membership).first()
    return {
        "listed": listing is not None,
        "display_name": listing.display_name if listing else None,
        "since": listing.since if listing else None,
    }


class PublicView(APIView):
    """What everyone may see, without logging in: confirmed contributions of the last months
    in all, per activity, place, month and partner organisation. Never a name; any group of
    fewer than `min_group_size` people is suppressed."""

    schema = AutoSchema()
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        tags=[OPEN_DATA],
        summary="Time given, in all",
        description=(
            "Confirmed contributions of time of the last months, in all and per activity, "
            "place, month and partner organisation. Never a name; a group of fewer people "
            "than `min_group_size` is left out."
        ),
        parameters=[
            OpenApiParameter(
                "months", OpenApiTypes.INT, description="How many months back (1-120; 12)."
            )
        ],
        responses={200: PublicAggregatesSerializer, 400: ErrorSerializer},
    )
    def get(self, request, slug):
        cooperative = get_object_or_404(Cooperative, slug=slug)
        months = _months(request)
        aggregates = selectors.public_aggregates(cooperative, months=months)
        return Response(PublicAggregatesSerializer(aggregates).data)


class PublicThanksView(APIView):
    """The names members chose to show on the cooperative's thank-you wall."""

    schema = AutoSchema()
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        tags=[OPEN_DATA],
        summary="The thank-you wall",
        description="The names members chose to show on the cooperative's thank-you wall.",
        responses=serializers.ListSerializer(child=serializers.CharField()),
    )
    def get(self, request, slug):
        cooperative = get_object_or_404(Cooperative, slug=slug)
        return Response(selectors.thanks_wall(cooperative))


TIME = "c/<slug:slug>/time/"

urlpatterns = [
    path(f"{TIME}contributions/", ContributionsView.as_view(), name="api-time-contributions"),
    path(
        f"{TIME}contributions/<int:pk>/", ContributionView.as_view(), name="api-time-contribution"
    ),
    path(
        f"{TIME}contributions/<int:pk>/confirm/",
        ConfirmView.as_view(),
        name="api-time-contribution-confirm",
    ),
    path(
        f"{TIME}contributions/<int:pk>/decline/",
        DeclineView.as_view(),
        name="api-time-contribution-decline",
    ),
    path(f"{TIME}waiting/", WaitingView.as_view(), name="api-time-waiting"),
    path(f"{TIME}balance/", BalanceView.as_view(), name="api-time-balance"),
    path(f"{TIME}activities/", ActivitiesView.as_view(), name="api-time-activities"),
    path(f"{TIME}partners/", PartnerHoursView.as_view(), name="api-time-partners"),
    path(f"{TIME}thank-you-wall/", WallView.as_view(), name="api-time-wall"),
    path(f"{TIME}share/", ShareForHoursView.as_view(), name="api-time-share"),
    path("c/<slug:slug>/open/time/", PublicView.as_view(), name="api-time-public"),
    path("c/<slug:slug>/open/thanks/", PublicThanksView.as_view(), name="api-time-thanks"),
]
