from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from members.permissions import needs_second_factor

# Pages a person must reach before their second factor is checked. Everything else, the
# profile and the API token page included, waits for the second factor.
_OPEN_PREFIXES = (
    "/account/login/",
    "/account/logout/",
    "/account/verify/",
    "/account/two-factor/",
    "/account/password-reset/",
    "/static/",
    "/i18n/",
    "/invite/",
)


class RequireSecondFactorMiddleware:
    """Board members and treasurers use the site only after a second factor (TOTP) in this
    session. Without a confirmed device they are sent to set one up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
            and needs_second_factor(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Confirm your login with your authenticator app first.")},
                    status=403,
                )
            from django_otp import devices_for_user

            target = "members:verify" if any(devices_for_user(user)) else "members:two_factor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
