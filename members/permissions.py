"""The one permission helper every app uses: who holds which role in which cooperative.

Views use `cooperative_view`, the API uses `CooperativeRolePermission`, services use
`require_role`. All three ask the same question of the same rows.
"""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from members.models import (
    SECOND_FACTOR_ROLES,
    Cooperative,
    Membership,
    MembershipStatus,
    Role,
)
from wijkbv.errors import NotAllowed

# Roles that may read everything about members of their cooperative (not change it).
MEMBER_ADMIN_ROLES = (Role.COORDINATOR, Role.BOARD, Role.TREASURER, Role.AUDIT_COMMITTEE)


def membership_for(user, cooperative) -> Membership | None:
    """The user's active membership of the cooperative, or None."""
    if user is None or not user.is_authenticated:
        return None
    # No ordering: there is at most one row, and the default ordering would join cooperatives.
    return (
        Membership.objects.filter(
            user=user, cooperative=cooperative, status=MembershipStatus.ACTIVE
        )
        .order_by()
        .first()
    )


def holds_role(membership: Membership | None, *roles: str) -> bool:
    """With no roles given, any active membership will do."""
    if membership is None or not membership.is_active:
        return False
    return not roles or bool(membership.roles & set(roles))


def has_role(user, cooperative, *roles: str) -> bool:
    return holds_role(membership_for(user, cooperative), *roles)


def require_role(user, cooperative, *roles: str) -> Membership:
    """Return the acting user's membership, or raise NotAllowed with a message they understand."""
    membership = membership_for(user, cooperative)
    if membership is None:
        raise NotAllowed(_("You are not a member of %(name)s.") % {"name": cooperative.name})
    if not holds_role(membership, *roles):
        raise NotAllowed(
            _("Only %(roles)s may do this.")
            % {"roles": _(" or ").join(str(Role(role).label).lower() for role in roles)}
        )
    return membership


def needs_second_factor(user) -> bool:
    """Board members and treasurers of any cooperative must log in with a second factor."""
    if not user.is_authenticated:
        return False
    memberships = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
    return any(m.roles & SECOND_FACTOR_ROLES for m in memberships) or user.is_staff


def cooperative_view(*roles: str):
    """Decorate a view taking `slug`: load the cooperative, require an active membership with one
    of `roles` (any role when none are given) and set request.cooperative and request.membership.

    Anonymous visitors are sent to the login page; members of another cooperative get a 403 page
    that says why."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            cooperative = get_object_or_404(Cooperative, slug=slug)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for(request.user, cooperative)
            if membership is None:
                raise PermissionDenied(
                    _("You are not a member of %(name)s.") % {"name": cooperative.name}
                )
            if not holds_role(membership, *roles):
                raise PermissionDenied(
                    _("Your role in this cooperative does not give access to this page.")
                )
            request.cooperative = cooperative
            request.membership = membership
            return view(request, *args, **kwargs)

        wrapper.required_roles = roles
        return wrapper

    return decorator


class CooperativeRolePermission(BasePermission):
    """DRF: the view's `cooperative_roles` (empty: any member) in the cooperative named by the
    URL's `slug`. The view gets `request.cooperative` and `request.membership`."""

    message = "You are not a member of this cooperative, or your role does not allow this."

    def has_permission(self, request, view):
        slug = view.kwargs.get("slug")
        cooperative = get_object_or_404(Cooperative, slug=slug)
        membership = membership_for(request.user, cooperative)
        roles = getattr(view, "cooperative_roles", ())
        if not holds_role(membership, *roles):
            return False
        request.cooperative = cooperative
        request.membership = membership
        return True
