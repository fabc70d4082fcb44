"""/api/v1/ for people, memberships, invitations, places and partner organisations."""

from django.conf import settings
from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from members import selectors, services
from members.models import (
    Membership,
    PartnerOrganisation,
    Place,
    PlaceKind,
    Role,
    Sector,
    VotingMode,
)
from members.permissions import MEMBER_ADMIN_ROLES, CooperativeRolePermission


class ProfileSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254, allow_null=True, default=None)
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES)
    phone = serializers.CharField(max_length=30, allow_blank=True, required=False, default="")
    street_address = serializers.CharField(
        max_length=200, allow_blank=True, required=False, default=""
    )
    postcode = serializers.CharField(max_length=7, allow_blank=True, required=False, default="")
    city = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")


class MyMembershipSerializer(serializers.ModelSerializer):
    cooperative = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["cooperative", "cooperative_name", "member_number", "status", "roles"]

    def get_roles(self, membership) -> list[str]:
        return sorted(membership.roles)


class MemberSerializer(MyMembershipSerializer):
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    has_email = serializers.SerializerMethodField()

    class Meta(MyMembershipSerializer.Meta):
        fields = ["member_number", "full_name", "status", "roles", "joined_on", "has_email"]

    def get_has_email(self, membership) -> bool:
        return bool(membership.user.email)


class RegisterResidentSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    street_address = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    postcode = serializers.CharField(max_length=7, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), min_length=1, max_length=6
    )


class InvitationLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    link = serializers.URLField()
    expires_at = serializers.DateTimeField()


class InvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=100)
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True)


class PlaceSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=PlaceKind.choices)

    class Meta:
        model = Place
        fields = ["id", "name", "kind", "address", "description", "is_active"]
        read_only_fields = ["id", "is_active"]


class PartnerSerializer(serializers.ModelSerializer):
    sector = serializers.ChoiceField(choices=Sector.choices)

    class Meta:
        model = PartnerOrganisation
        fields = ["id", "name", "sector", "description", "website", "is_active"]
        read_only_fields = ["id", "is_active"]


class CooperativeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    slug = serializers.SlugField(read_only=True)
    kvk_number = serializers.CharField(max_length=20, allow_blank=True)
    area_postcodes = serializers.ListField(
        child=serializers.CharField(max_length=7), max_length=200
    )
    voting_mode = serializers.ChoiceField(choices=VotingMode.choices)
    max_shares_per_member = serializers.IntegerField(min_value=1, allow_null=True)
    max_votes_per_member = serializers.IntegerField(min_value=1, allow_null=True)
    social_value_hourly_rate = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, source="social_value_hourly_rate.amount"
    )
    reinvestment_rule = serializers.CharField(allow_blank=True, max_length=5000)


class CooperativeView(APIView):
    """A cooperative's details and articles; members read them, the board changes them."""

    permission_classes = [IsAuthenticated, CooperativeRolePermission]

    @extend_schema(responses=CooperativeSerializer)
    def get(self, request, slug):
        return Response(CooperativeSerializer(request.cooperative).data)

    @extend_schema(request=CooperativeSerializer, responses=CooperativeSerializer)
    def put(self, request, slug):
        serializer = CooperativeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        values["social_value_hourly_rate"] = values.pop("social_value_hourly_rate")["amount"]
        cooperative = services.update_cooperative(request.cooperative, actor=request.user, **values)
        return Response(CooperativeSerializer(cooperative).data)


class MeView(APIView):
    """The logged-in person's own details."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(request.user).data)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def put(self, request):
        serializer = ProfileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.update_profile(
            request.user, actor=request.user, **serializer.validated_data
        )
        return Response(ProfileSerializer(user).data)


class PersonalDataSerializer(serializers.Serializer):
    exported_at = serializers.DateTimeField()
    apps = serializers.DictField(
        child=serializers.DictField(),
        help_text="Per app (members, shares, payments, reciprocity...): what it keeps about you.",
    )


class MyDataView(APIView):
    """Everything recorded about the logged-in person, app by app: the same as the JSON file
    on the "my data" page."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PersonalDataSerializer)
    def get(self, request):
        return Response(selectors.export_personal_data(request.user))


class MyCooperativesView(generics.ListAPIView):
    """The cooperatives the logged-in person belongs to, with their roles."""

    serializer_class = MyMembershipSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.active_memberships(self.request.user)


class MembersView(generics.GenericAPIView):
    """Members of a cooperative (coordinators, board, treasurer, audit committee); a coordinator
    or the board registers a resident, with or without an e-mail address."""

    permission_classes = [IsAuthenticated, CooperativeRolePermission]
    cooperative_roles = MEMBER_ADMIN_ROLES
    serializer_class = MemberSerializer

    def get_queryset(self):
        return selectors.member_list(self.request.cooperative)

    @extend_schema(responses=MemberSerializer(many=True))
    def get(self, request, slug):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MemberSerializer(page, many=True).data)

    @extend_schema(request=RegisterResidentSerializer, responses={201: MemberSerializer})
    def post(self, request, slug):
        serializer = RegisterResidentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.register_resident(
            request.cooperative, actor=request.user, **serializer.validated_data
        )
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class InvitationsView(APIView):
    """Make a one-time invitation link (coordinators invite residents; the board any role)."""

    permission_classes = [IsAuthenticated, CooperativeRolePermission]
    cooperative_roles = (Role.COORDINATOR, Role.BOARD)

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationLinkSerializer})
    def post(self, request, slug):
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation, token = services.invite_member(
            request.cooperative, actor=request.user, **serializer.validated_data
        )
        link = request.build_absolute_uri(reverse("members:accept_invitation", args=[token]))
        body = {"id": invitation.pk, "link": link, "expires_at": invitation.expires_at}
        return Response(InvitationLinkSerializer(body).data, status=status.HTTP_201_CREATED)


class AcceptInvitationView(APIView):
    """Create an account with an invitation token and join its cooperative."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(request=InvitationAcceptSerializer, responses={201: MyMembershipSerializer})
    def post(self, request):
        serializer = InvitationAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        membership = services.accept_invitation(data.pop("token"), actor=None, **data)
        return Response(MyMembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class PlacesView(generics.GenericAPIView):
    """Places of a cooperative; coordinators and the board add one."""

    permission_classes = [IsAuthenticated, CooperativeRolePermission]
    serializer_class = PlaceSerializer

    def get_queryset(self):
        return self.request.cooperative.places.all()

    @extend_schema(responses=PlaceSerializer(many=True))
    def get(self, request, slug):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PlaceSerializer(page, many=True).data)

    @extend_schema(request=PlaceSerializer, responses={201: PlaceSerializer})
    def post(self, request, slug):
        serializer = PlaceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        place = services.add_place(
            request.cooperative, actor=request.user, **serializer.validated_data
        )
        return Response(PlaceSerializer(place).data, status=status.HTTP_201_CREATED)


class PartnersView(generics.GenericAPIView):
    """Partner organisations of a cooperative; the board adds one."""

    permission_classes = [IsAuthenticated, CooperativeRolePermission]
    serializer_class = PartnerSerializer

    def get_queryset(self):
        return self.request.cooperative.partner_organisations.all()

    @extend_schema(responses=PartnerSerializer(many=True))
    def get(self, request, slug):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PartnerSerializer(page, many=True).data)

    @extend_schema(request=PartnerSerializer, responses={201: PartnerSerializer})
    def post(self, request, slug):
        serializer = PartnerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        partner = services.add_partner_organisation(
            request.cooperative, actor=request.user, **serializer.validated_data
        )
        return Response(PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("me/data/", MyDataView.as_view(), name="api-my-data"),
    path("cooperatives/", MyCooperativesView.as_view(), name="api-cooperatives"),
    path("invitations/accept/", AcceptInvitationView.as_view(), name="api-invitation-accept"),
    path("c/<slug:slug>/", CooperativeView.as_view(), name="api-cooperative"),
    path("c/<slug:slug>/members/", MembersView.as_view(), name="api-members"),
    path("c/<slug:slug>/invitations/", InvitationsView.as_view(), name="api-invitations"),
    path("c/<slug:slug>/places/", PlacesView.as_view(), name="api-places"),
    path("c/<slug:slug>/partners/", PartnersView.as_view(), name="api-partners"),
]
