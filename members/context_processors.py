from members.models import Membership, MembershipStatus


def cooperatives(request):
    """The cooperatives the visitor belongs to, for the switcher in the page header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_memberships": []}
    memberships = (
        Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
        .select_related("cooperative")
        .order_by("cooperative__name")
    )
    return {"my_memberships": list(memberships)}
