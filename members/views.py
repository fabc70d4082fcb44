"""Web pages for people, memberships and the cooperative's own lists. Views are thin: parse,
check access, call one service, answer."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from members import forms, personal_data, selectors, services
from members.models import Cooperative, Invitation, Membership, RetainedIdentity, Role
from members.permissions import MEMBER_ADMIN_ROLES, cooperative_view, holds_role
from wijkbv.errors import DomainError
from wijkbv.web import call_service

FAILED = call_service.FAILED


def _set_language_cookie(response, language: str):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


class LoginView(auth_views.LoginView):
    template_name = "members/login.html"
    authentication_form = forms.EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        return _set_language_cookie(response, form.get_user().preferred_language)


WELCOME_LIST = 100  # cooperatives whose open page the start page lists


def home(request):
    """The start page: a visitor sees what the site is; a member goes to their cooperative."""
    if not request.user.is_authenticated:
        cooperatives = Cooperative.objects.order_by("name").only("name", "slug")[:WELCOME_LIST]
        return render(request, "members/welcome.html", {"cooperatives": cooperatives})
    memberships = selectors.active_memberships(request.user)
    if len(memberships) == 1:
        return redirect("members:cooperative_home", slug=memberships[0].cooperative.slug)
    return render(request, "members/choose_cooperative.html", {"memberships": memberships})


@login_required
def switch_cooperative(request):
    """The cooperative switcher: a plain form, so it works without JavaScript."""
    slug = request.GET.get("cooperative", "")
    if not any(m.cooperative.slug == slug for m in selectors.active_memberships(request.user)):
        messages.error(request, _("Choose one of your own cooperatives."))
        return redirect("members:home")
    return redirect("members:cooperative_home", slug=slug)


@cooperative_view()
def cooperative_home(request):
    cooperative = request.cooperative
    return render(
        request,
        "members/cooperative_home.html",
        {
            "cooperative": cooperative,
            "membership": request.membership,
            "counts": selectors.cooperative_counts(cooperative),
            "may_manage_members": holds_role(request.membership, *MEMBER_ADMIN_ROLES),
        },
    )


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = forms.ProfileForm(request.POST)
        if form.is_valid():
            result = call_service(
                form, services.update_profile, user, actor=user, **form.cleaned_data
            )
            if result is not FAILED:
                # Thank the person in the language they just chose, as the next page speaks it.
                with override(result.preferred_language):
                    messages.success(request, _("Your details have been saved."))
                response = redirect("members:profile")
                return _set_language_cookie(response, result.preferred_language)
    else:
        form = forms.ProfileForm(
            initial={field: getattr(user, field) for field in forms.ProfileForm.base_fields}
        )
    return render(
        request,
        "members/profile.html",
        {"form": form, "has_token": selectors.has_api_token(user)},
    )


@login_required
@require_POST
def api_token(request):
    """Make a new API token, shown once; any older token stops working."""
    token = services.renew_api_token(request.user, actor=request.user)
    return render(request, "members/api_token.html", {"token": token.key})


@login_required
def verify(request):
    """The second step of logging in: the code from the authenticator app."""
    next_url = _safe_next(request, reverse("members:home"))
    if request.user.is_verified():
        return HttpResponseRedirect(next_url)
    if not selectors.has_confirmed_device(request.user):
        return redirect(f"{reverse('members:two_factor_setup')}?next={next_url}")
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = call_service(
            form,
            services.verify_second_factor,
            request.user,
            actor=request.user,
            token=form.cleaned_data["token"],
        )
        if device is not FAILED:
            otp_login(request, device)
            return HttpResponseRedirect(next_url)
    return render(request, "members/verify.html", {"form": form, "next": next_url})


@login_required
def two_factor_setup(request):
    """Set up an authenticator app: scan the code, type the number it shows."""
    next_url = _safe_next(request, reverse("members:home"))
    if selectors.has_confirmed_device(request.user):
        return redirect(f"{reverse('members:verify')}?next={next_url}")
    device = services.start_second_factor_setup(request.user, actor=request.user)
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = call_service(
            form,
            services.confirm_second_factor,
            device,
            actor=request.user,
            token=form.cleaned_data["token"],
        )
        if device is not FAILED:
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return HttpResponseRedirect(next_url)
    return render(
        request,
        "members/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": selectors.totp_qr_data_uri(device),
            "secret": selectors.totp_secret(device),
        },
    )


def accept_invitation(request, token):
    try:
        invitation = selectors.open_invitation(token)
    except DomainError as exc:
        return render(
            request, "members/invitation_invalid.html", {"reason": exc.message}, status=410
        )
    cooperative = invitation.cooperative
    if request.user.is_authenticated:
        form = None
        if request.method == "POST":
            try:
                services.accept_invitation(token, actor=request.user)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Welcome to %(name)s!") % {"name": cooperative.name})
                return redirect("members:cooperative_home", slug=cooperative.slug)
    else:
        form = forms.InvitationAcceptForm(request.POST or None, initial={"email": invitation.email})
        if request.method == "POST" and form.is_valid():
            membership = call_service(
                form,
                services.accept_invitation,
                token,
                actor=None,
                preferred_language=request.LANGUAGE_CODE,
                **form.cleaned_data,
            )
            if membership is not FAILED:
                auth_login(
                    request, membership.user, backend="django.contrib.auth.backends.ModelBackend"
                )
                messages.success(request, _("Welcome to %(name)s!") % {"name": cooperative.name})
                return redirect("members:cooperative_home", slug=cooperative.slug)
    return render(
        request,
        "members/invitation_accept.html",
        {"invitation": invitation, "cooperative": cooperative, "form": form},
    )


@cooperative_view(*MEMBER_ADMIN_ROLES)
def member_list(request):
    return render(
        request,
        "members/member_list.html",
        {
            "cooperative": request.cooperative,
            "memberships": selectors.member_list(request.cooperative),
            "may_register": holds_role(request.membership, Role.COORDINATOR, Role.BOARD),
            "may_set_roles": holds_role(request.membership, Role.BOARD),
        },
    )


@cooperative_view(Role.COORDINATOR, Role.BOARD)
def register_resident(request):
    form = forms.RegisterResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = call_service(
            form,
            services.register_resident,
            request.cooperative,
            actor=request.user,
            **form.cleaned_data,
        )
        if membership is not FAILED:
            messages.success(
                request,
                _("%(name)s is now member number %(number)s.")
                % {"name": membership.user.full_name, "number": membership.member_number},
            )
            return redirect("members:member_list", slug=request.cooperative.slug)
    return render(
        request,
        "members/register_resident.html",
        {"cooperative": request.cooperative, "form": form},
    )


@cooperative_view(Role.BOARD)
def member_roles(request, number):
    membership = get_object_or_404(
        Membership.objects.select_related("user"),
        cooperative=request.cooperative,
        member_number=number,
    )
    form = forms.RolesForm(request.POST or None, initial={"roles": sorted(membership.roles)})
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form,
            services.set_member_roles,
            membership,
            actor=request.user,
            roles=form.cleaned_data["roles"],
        )
        if result is not FAILED:
            messages.success(request, _("The roles have been saved."))
            return redirect("members:member_list", slug=request.cooperative.slug)
    return render(
        request,
        "members/member_roles.html",
        {"cooperative": request.cooperative, "member": membership, "form": form},
    )


@cooperative_view(Role.COORDINATOR, Role.BOARD)
def invitations(request):
    form = forms.InvitationForm(request.POST or None, initial={"roles": [Role.RESIDENT]})
    new_link = None
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form,
            services.invite_member,
            request.cooperative,
            actor=request.user,
            email=form.cleaned_data["email"],
            roles=form.cleaned_data["roles"],
        )
        if result is not FAILED:
            _invitation, token = result
            new_link = request.build_absolute_uri(
                reverse("members:accept_invitation", args=[token])
            )
            form = forms.InvitationForm(initial={"roles": [Role.RESIDENT]})
    return render(
        request,
        "members/invitations.html",
        {
            "cooperative": request.cooperative,
            "form": form,
            "new_link": new_link,
            "invitations": selectors.open_invitations(request.cooperative),
        },
    )


@cooperative_view(Role.COORDINATOR, Role.BOARD)
@require_POST
def revoke_invitation(request, pk):
    invitation = get_object_or_404(Invitation, cooperative=request.cooperative, pk=pk)
    try:
        services.revoke_invitation(invitation, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The invitation has been withdrawn."))
    return redirect("members:invitations", slug=request.cooperative.slug)


@cooperative_view()
def places(request):
    may_add = holds_role(request.membership, Role.COORDINATOR, Role.BOARD)
    form = forms.PlaceForm(request.POST or None) if may_add else None
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied(
                _("Your role in this cooperative does not give access to this page.")
            )
        if form.is_valid():
            result = call_service(
                form,
                services.add_place,
                request.cooperative,
                actor=request.user,
                **form.cleaned_data,
            )
            if result is not FAILED:
                messages.success(request, _("The place has been added."))
                return redirect("members:places", slug=request.cooperative.slug)
    return render(
        request,
        "members/places.html",
        {
            "cooperative": request.cooperative,
            "places": request.cooperative.places.all(),
            "form": form,
        },
    )


@cooperative_view()
def partners(request):
    may_add = holds_role(request.membership, Role.BOARD)
    form = forms.PartnerForm(request.POST or None) if may_add else None
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied(
                _("Your role in this cooperative does not give access to this page.")
            )
        if form.is_valid():
            result = call_service(
                form,
                services.add_partner_organisation,
                request.cooperative,
                actor=request.user,
                **form.cleaned_data,
            )
            if result is not FAILED:
                messages.success(request, _("The organisation has been added."))
                return redirect("members:partners", slug=request.cooperative.slug)
    return render(
        request,
        "members/partners.html",
        {
            "cooperative": request.cooperative,
            "partners": request.cooperative.partner_organisations.all(),
            "form": form,
        },
    )


@cooperative_view(Role.BOARD)
def cooperative_settings(request):
    cooperative = request.cooperative
    form = forms.CooperativeSettingsForm(
        request.POST or None, initial=forms.CooperativeSettingsForm.initial_for(cooperative)
    )
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form,
            services.update_cooperative,
            cooperative,
            actor=request.user,
            **form.cleaned_data,
        )
        if result is not FAILED:
            messages.success(request, _("The settings have been saved."))
            return redirect("members:cooperative_settings", slug=cooperative.slug)
    return render(
        request, "members/cooperative_settings.html", {"cooperative": cooperative, "form": form}
    )


@login_required
def my_data(request):
    """Everything recorded about the logged-in person, app by app, in plain words; with
    ?format=json as a file to keep or take elsewhere (as the share register gives its CSV)."""
    data = selectors.export_personal_data(request.user)
    if request.GET.get("format") == "json":
        response = JsonResponse(
            data, json_dumps_params={"indent": 2, "ensure_ascii": False, "sort_keys": True}
        )
        response["Content-Disposition"] = 'attachment; filename="my-data.json"'
        return response
    return render(request, "members/my_data.html", {"sections": personal_data.readable(data)})


@login_required
def forget(request):
    """The person asks to be forgotten, after reading what will happen and typing their e-mail
    address. Afterwards they are logged out: their account no longer exists as theirs."""
    user = request.user
    form = forms.ForgetMyselfForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        result = call_service(form, services.forget_member, user, actor=user)
        if result is not FAILED:
            auth_logout(request)
            messages.success(request, _("Your details have been erased. Thank you for everything."))
            return redirect("members:home")
    return render(
        request,
        "members/forget.html",
        {
            "form": form,
            "reasons": personal_data.forgetting_blockers(user),
            "has_financial_records": bool(personal_data.financial_record_dates(user)),
        },
    )


@cooperative_view(Role.BOARD)
def forget_member(request, number):
    """A board member forgets a member who asked for it and cannot do it themselves (a
    resident without e-mail)."""
    membership = get_object_or_404(
        Membership.objects.select_related("user"),
        cooperative=request.cooperative,
        member_number=number,
    )
    form = forms.ForgetMemberForm(request.POST or None, member_number=number)
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form,
            services.forget_member,
            membership.user,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
        if result is not FAILED:
            messages.success(
                request, _("Member %(number)s has been forgotten.") % {"number": number}
            )
            return redirect("members:member_list", slug=request.cooperative.slug)
    return render(
        request,
        "members/forget_member.html",
        {
            "cooperative": request.cooperative,
            "member": membership,
            "form": form,
            "reasons": personal_data.forgetting_blockers(membership.user),
        },
    )


@cooperative_view(Role.TREASURER, Role.AUDIT_COMMITTEE)
def retained_identities(request):
    """Who forgotten members were, kept for the retention of the books: for the treasurer and
    the audit committee only."""
    return render(
        request,
        "members/forget_retained.html",
        {
            "cooperative": request.cooperative,
            "identities": RetainedIdentity.objects.filter(cooperative=request.cooperative).order_by(
                "member_number"
            ),
        },
    )
