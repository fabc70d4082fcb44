"""Web pages for giving and taking. Views are thin: parse, check access, call one service,
answer. The public pages show aggregates and the names people chose to show, nothing else."""

from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from members.models import Cooperative, Membership, Role
from members.permissions import cooperative_view, holds_role
from reciprocity import forms, selectors, services
from reciprocity.models import (
    Activity,
    Beneficiary,
    Contribution,
    ThanksListing,
)
from reciprocity.templatetags.reciprocity import hours_text
from shares.models import ShareClass
from wijkbv.errors import DomainError
from wijkbv.web import call_service

FAILED = call_service.FAILED
# Who runs activities and sees everything that waits for confirmation.
COORDINATE_ROLES = (Role.COORDINATOR, Role.BOARD)
# Who reads the hours given to partner organisations.
PARTNER_ROLES = (Role.COORDINATOR, Role.BOARD, Role.TREASURER, Role.AUDIT_COMMITTEE)
# The most contributions a work list shows at once; the oldest come first.
MAX_WAITING_SHOWN = 50
# A member's most recent contributions on their page.
RECENT_SHOWN = 10
# The most codes one QR page prints, so that a careless choice does not make a huge page.
MAX_QR_CODES = 60


def _render(request, template: str, context: dict, status: int = 200):
    """A page of the cooperative, with the person's membership for the layout."""
    context = {"cooperative": request.cooperative, "membership": request.membership} | context
    return render(request, template, context, status=status)


def _active_activities(cooperative):
    return Activity.objects.filter(cooperative=cooperative, is_active=True).order_by("name")


def _active_places(cooperative):
    return cooperative.places.filter(is_active=True).order_by("name")


def _fixed_choices(request) -> dict:
    """The activity and place a link (a QR code) fixed, where they exist and are in use."""
    fixed = {}
    for name, queryset in (
        ("activity", _active_activities(request.cooperative)),
        ("place", _active_places(request.cooperative)),
    ):
        value = request.GET.get(name, "")
        if value.isdigit():
            found = queryset.filter(pk=int(value)).first()
            if found is not None:
                fixed[name] = found
    return fixed


def _member(form, field, cooperative, number) -> Membership | None | object:
    """The member with this number, or FAILED with the error on the form."""
    if number is None:
        return None
    member = selectors.member_for_number(cooperative, number)
    if member is None:
        visible = not form.fields[field].widget.is_hidden
        form.add_error(field if visible else None, _("There is no member with this number."))
        return FAILED
    return member


@cooperative_view()
def log(request):
    """Log time given: three fields, the rest folded away; a QR code fills in activity and
    place. A coordinator may log for a resident by member number."""
    cooperative = request.cooperative
    fixed = _fixed_choices(request)
    acts_for_others = holds_role(request.membership, Role.COORDINATOR)
    form = forms.LogForm(
        request.POST if request.method == "POST" else None,
        activities=_active_activities(cooperative),
        places=_active_places(cooperative),
        partners=cooperative.partner_organisations.filter(is_active=True).order_by("name"),
        acts_for_others=acts_for_others,
        fixed=fixed,
        initial={"date": timezone.localdate(), "hours": forms.HOURS_INITIAL},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # Only the receiver that "for whom" names counts; a number or organisation left in
        # the other field from an earlier choice is ignored.
        receiver_number = data.pop("beneficiary_member")
        if data["beneficiary"] != Beneficiary.MEMBER:
            receiver_number = None
        if data["beneficiary"] != Beneficiary.PARTNER:
            data["beneficiary_partner"] = None
        contributor = _member(form, "contributor", cooperative, data.pop("contributor"))
        receiver = _member(form, "beneficiary_member", cooperative, receiver_number)
        if contributor is not FAILED and receiver is not FAILED:
            contribution = call_service(
                form,
                services.log_contribution,
                cooperative,
                actor=request.user,
                contributor=contributor,
                beneficiary_member=receiver,
                **data,
            )
            if contribution is not FAILED:
                messages.success(request, _logged_message(contribution))
                if contribution.on_behalf:
                    return redirect(f"{request.path}?{request.GET.urlencode()}".rstrip("?"))
                return redirect("reciprocity:home", slug=cooperative.slug)
    return _render(
        request,
        "reciprocity/log.html",
        {
            "form": form,
            "fixed": fixed,
            "acts_for_others": acts_for_others,
            "has_activities": bool(fixed) or form.fields["activity"].queryset.exists(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _logged_message(contribution) -> str:
    details = {
        "hours": hours_text(contribution.hours),
        "activity": contribution.activity.name,
    }
    if contribution.on_behalf:
        return _("Saved on behalf of %(name)s (member %(number)s): %(hours)s for %(activity)s.") % (
            details
            | {
                "name": contribution.contributor.user.full_name,
                "number": contribution.contributor.member_number,
            }
        )
    if contribution.beneficiary == Beneficiary.MEMBER:
        return _("Thank you! %(hours)s for %(activity)s saved. %(name)s will confirm it.") % (
            details | {"name": contribution.beneficiary_member.user.get_short_name()}
        )
    return _("Thank you! %(hours)s for %(activity)s saved. A coordinator will confirm it.") % (
        details
    )


def _bars(months: list[dict]) -> list[dict]:
    """The months with hours, each with the length of its bars as a share of the fullest
    month (0-100). Empty months are left out: a row of zeros only makes the page long."""
    months = [m for m in months if m["given"] or m["received"]]
    most = max((max(m["given"], m["received"]) for m in months), default=0) or 1
    return [
        m
        | {
            "given_width": int(m["given"] * 100 / most),
            "received_width": int(m["received"] * 100 / most),
        }
        for m in months
    ]


def _share_by_time(membership) -> dict | None:
    """Where the articles allow earning a share by time: the class, the hours one share takes
    and the member's confirmed hours not yet paid into a share."""
    share_class = (
        ShareClass.objects.filter(
            cooperative_id=membership.cooperative_id, hours_per_share__isnull=False
        )
        .order_by("code")
        .first()
    )
    if share_class is None:
        return None
    spare = selectors.hours_to_spare(membership)
    return {
        "share_class": share_class,
        "hours_per_share": share_class.hours_per_share,
        "spare": spare,
        "may_ask": spare >= share_class.hours_per_share,
    }


def _home_page(request, *, wall_form=None, share_error=None, status=200):
    membership = request.membership
    listing = ThanksListing.objects.filter(membership=membership).first()
    summary = selectors.balance(membership)
    return _render(
        request,
        "reciprocity/home.html",
        {
            "balance": summary,
            "months": _bars(summary["months"]),
            "contributions": selectors.contributions_for_member(membership)[:RECENT_SHOWN],
            "waiting": selectors.waiting_for(membership)[:MAX_WAITING_SHOWN],
            "listing": listing,
            "wall_form": wall_form
            or forms.ThankYouWallForm(
                initial={
                    "display_name": listing.display_name
                    if listing
                    else request.user.get_short_name()
                }
            ),
            "share_by_time": _share_by_time(membership),
            "share_error": share_error,
            "may_coordinate": holds_role(membership, *COORDINATE_ROLES),
            "may_read_partners": holds_role(membership, *PARTNER_ROLES),
        },
        status=status,
    )


@cooperative_view()
def home(request):
    """My time: what I gave and received (thanks, never a ranking), what waits for me."""
    return _home_page(request)


@cooperative_view()
@require_POST
def wall(request):
    """Put my name on the public thank-you wall, change it, or take it off."""
    membership = request.membership
    if "leave" in request.POST:
        # Leaving needs no name; the form is there to carry a refusal back to the page.
        listing = ThanksListing.objects.filter(membership=membership).first()
        form = forms.ThankYouWallForm(
            {"display_name": listing.display_name if listing else request.user.get_short_name()}
        )
        form.is_valid()
        result = call_service(form, services.leave_thank_you_wall, membership, actor=request.user)
        done = _("Your name is no longer on the thank-you wall.")
    else:
        form = forms.ThankYouWallForm(request.POST)
        result = FAILED
        if form.is_valid():
            result = call_service(
                form,
                services.join_thank_you_wall,
                membership,
                actor=request.user,
                display_name=form.cleaned_data["display_name"],
            )
        done = _("Thank you! Your name is on the thank-you wall.")
    if result is FAILED:
        return _home_page(request, wall_form=form, status=400)
    messages.success(request, done)
    return redirect("reciprocity:home", slug=request.cooperative.slug)


@cooperative_view()
@require_POST
def ask_share(request):
    """Ask for one share paid up with confirmed hours; the board decides as for any share."""
    try:
        subscription = services.ask_share_for_hours(request.membership, actor=request.user)
    except DomainError as refused:
        return _home_page(request, share_error=str(refused.message), status=400)
    messages.success(
        request,
        _("Thank you. Your request for a share paid with your time has been received."),
    )
    return redirect("shares:subscription", slug=request.cooperative.slug, pk=subscription.pk)


def _visible_contribution(request, pk) -> Contribution:
    """The contributor, the receiving member and coordinators and the board see it."""
    contribution = get_object_or_404(
        Contribution.objects.select_related(
            "activity",
            "place",
            "contributor__user",
            "beneficiary_member__user",
            "beneficiary_partner",
            "logged_by",
        ),
        cooperative=request.cooperative,
        pk=pk,
    )
    membership = request.membership
    involved = membership.pk in (contribution.contributor_id, contribution.beneficiary_member_id)
    if not involved and not holds_role(membership, *COORDINATE_ROLES):
        raise Http404
    return contribution


DECISIONS = {
    "confirm": (
        lambda c, actor, reason: services.confirm_contribution(c, actor=actor),
        gettext_lazy("Confirmed. Thank you for saying it happened."),
    ),
    "decline": (
        lambda c, actor, reason: services.decline_contribution(c, actor=actor, reason=reason),
        gettext_lazy("Declined. The person who logged it reads your reason."),
    ),
}


@cooperative_view()
def decide(request, pk, decision):
    """Confirm or decline one contribution (POST); the page (GET, or after a refusal) shows
    the contribution with the form, so that a decline can ask for its reason."""
    if decision not in DECISIONS:
        raise Http404
    contribution = _visible_contribution(request, pk)
    data = request.POST if request.method == "POST" else None
    form = forms.DecisionForm(data, initial={"back": request.GET.get("back")})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            call, done = DECISIONS[decision]
            reason = form.cleaned_data["reason"]
            result = call_service(form, lambda: call(contribution, request.user, reason))
            if result is not FAILED:
                messages.success(request, done)
                back = form.cleaned_data["back"]
                return redirect(f"reciprocity:{back}", slug=request.cooperative.slug)
            contribution.refresh_from_db()
    return _render(
        request,
        "reciprocity/decide.html",
        {"contribution": contribution, "decision": decision, "form": form},
        status=status,
    )


def _coordinate_page(request, *, add_form=None, changed=None, status=200):
    cooperative = request.cooperative
    activities = Activity.objects.filter(cooperative=cooperative).order_by("-is_active", "name")
    change_forms = []
    for activity in activities:
        if changed is not None and changed[0].pk == activity.pk:
            change_forms.append((activity, changed[1]))
            continue
        change_forms.append(
            (
                activity,
                forms.ActivityChangeForm(
                    prefix=f"activity-{activity.pk}",
                    initial={
                        "name": activity.name,
                        "description": activity.description,
                        "is_active": activity.is_active,
                    },
                ),
            )
        )
    return _render(
        request,
        "reciprocity/coordinate.html",
        {
            "waiting": selectors.waiting_in(cooperative)[:MAX_WAITING_SHOWN],
            "may_decide": holds_role(request.membership, Role.COORDINATOR),
            "activities": change_forms,
            "add_form": add_form or forms.ActivityForm(prefix="new"),
        },
        status=status,
    )


@cooperative_view(*COORDINATE_ROLES)
def coordinate(request):
    """The coordinators' work list: what waits for confirmation, and the activities."""
    return _coordinate_page(request)


@cooperative_view(*COORDINATE_ROLES)
@require_POST
def add_activity(request):
    form = forms.ActivityForm(request.POST, prefix="new")
    if form.is_valid():
        result = call_service(
            form,
            services.add_activity,
            request.cooperative,
            actor=request.user,
            **form.cleaned_data,
        )
        if result is not FAILED:
            messages.success(request, _("The activity has been added."))
            return redirect("reciprocity:coordinate", slug=request.cooperative.slug)
    return _coordinate_page(request, add_form=form, status=400)


@cooperative_view(*COORDINATE_ROLES)
@require_POST
def change_activity(request, pk):
    activity = get_object_or_404(Activity, cooperative=request.cooperative, pk=pk)
    form = forms.ActivityChangeForm(request.POST, prefix=f"activity-{pk}")
    if form.is_valid():
        result = call_service(
            form, services.update_activity, activity, actor=request.user, **form.cleaned_data
        )
        if result is not FAILED:
            messages.success(request, _("The activity has been changed."))
            return redirect("reciprocity:coordinate", slug=request.cooperative.slug)
    return _coordinate_page(request, changed=(activity, form), status=400)


@cooperative_view(*PARTNER_ROLES)
def partners(request):
    """Hours the neighbourhood gave each partner organisation (confirmed only)."""
    form = forms.YearForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    rows = selectors.partner_hours(request.cooperative, year=year)
    return _render(
        request,
        "reciprocity/partners.html",
        {"form": form, "year": year, "rows": rows},
    )


def _qr_svg(url: str, title: str) -> str:
    code = segno.make(url, error="m")
    # segno writes the SVG itself and escapes the title (a place's name), so it is safe to show.
    svg = code.svg_inline(scale=5, border=2, title=title, svgclass="qr", omitsize=True)
    return mark_safe(svg)  # noqa: S308


@cooperative_view(*COORDINATE_ROLES)
def qr(request):
    """Printable QR codes: one per place, or per place and activity. Scanning one opens the
    log form with the place (and activity) filled in."""
    cooperative = request.cooperative
    places = _active_places(cooperative)
    activities = _active_activities(cooperative)
    form = forms.QrForm(request.GET or None, places=places, activities=activities)
    codes = []
    if form.is_valid():
        chosen_activities = list(form.cleaned_data["activities"]) or [None]
        log_url = request.build_absolute_uri(reverse("reciprocity:log", args=[cooperative.slug]))
        for place in form.cleaned_data["places"]:
            for activity in chosen_activities:
                query = {"place": place.pk} | ({"activity": activity.pk} if activity else {})
                url = f"{log_url}?{urlencode(query)}"
                title = place.name if activity is None else f"{place.name} · {activity.name}"
                codes.append(
                    {
                        "place": place,
                        "activity": activity,
                        "url": url,
                        "svg": _qr_svg(url, title),
                    }
                )
                if len(codes) == MAX_QR_CODES:
                    break
    return _render(
        request,
        "reciprocity/qr.html",
        {"form": form, "codes": codes, "has_places": places.exists()},
    )


def _public_cooperative(slug) -> Cooperative:
    return get_object_or_404(Cooperative, slug=slug)


def public(request, slug):
    """The time the neighbourhood gave, for everyone: totals of groups, never a person."""
    cooperative = _public_cooperative(slug)
    return render(
        request,
        "reciprocity/public.html",
        {"cooperative": cooperative, "aggregates": selectors.public_aggregates(cooperative)},
    )


def thanks(request, slug):
    """The thank-you wall: the names of those who chose to be on it, nobody else."""
    cooperative = _public_cooperative(slug)
    return render(
        request,
        "reciprocity/thanks.html",
        {"cooperative": cooperative, "names": selectors.thanks_wall(cooperative)},
    )
