"""The open pages, for everyone without logging in: the cooperative's money and time, each
funder and funding stream, and each project down to its receipts."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from budgets.expenses.selectors import may_see_receipt
from budgets.models import FundingStream, Proposal, ProposalStatus
from budgets.transparency import pictures, selectors
from members.models import Cooperative, PartnerOrganisation
from members.permissions import membership_for
from reciprocity import selectors as time_selectors

PER_PAGE = 50


def _cooperative(slug) -> Cooperative:
    return get_object_or_404(Cooperative, slug=slug)


def _common(cooperative) -> dict:
    return {
        "cooperative": cooperative,
        "head": selectors.chain_head(cooperative),
        "min_group_size": selectors.MIN_GROUP_SIZE,
    }


def open_page(request, slug):
    """Money in, decided, spent and left; the time given; each partner's give and take."""
    cooperative = _cooperative(slug)
    picture = selectors.money(cooperative)
    time = time_selectors.public_aggregates(cooperative)
    partners_time = time_selectors.public_partner_hours(cooperative)
    months = selectors.spending_by_month(cooperative)
    context = _common(cooperative) | {
        "money": picture,
        "decisions": selectors.decisions(cooperative),
        "time": time,
        "partners": selectors.partner_reciprocity(cooperative, picture, partners_time),
        "months": months,
        "months_svg": pictures.months_svg(months, cooperative.currency),
    }
    context |= pictures.flow(picture, cooperative.slug)
    return render(request, "budgets/open/open.html", context)


def funder(request, slug, pk):
    """One funder: its streams and where their money went, and the time the neighbourhood
    gave it."""
    cooperative = _cooperative(slug)
    partner = get_object_or_404(PartnerOrganisation, pk=pk, cooperative=cooperative)
    picture = selectors.money(cooperative, funder=partner)
    if not picture.sources:
        raise Http404
    streams = [source.stream.pk for source in picture.sources]
    time_rows = time_selectors.public_partner_hours(cooperative)
    context = _common(cooperative) | {
        "partner": partner,
        "money": picture,
        "time": next((row for row in time_rows if row["partner"] == partner.name), None),
        "decisions": selectors.decisions(cooperative, streams=streams, limit=None),
    }
    context |= pictures.flow(picture, cooperative.slug, with_funders=False)
    return render(request, "budgets/open/funder.html", context)


def stream(request, slug, pk):
    """One funding stream: what came in, what was decided, each project's spending."""
    cooperative = _cooperative(slug)
    found = get_object_or_404(
        FundingStream.objects.select_related("funder"), pk=pk, cooperative=cooperative
    )
    picture = selectors.money(cooperative, stream=found)
    months = selectors.spending_by_month(cooperative, streams=[found.pk])
    context = _common(cooperative) | {
        "stream": found,
        "source": picture.sources[0],
        "money": picture,
        "payments": selectors.received_payments(found),
        "decisions": selectors.decisions(cooperative, streams=[found.pk], limit=None),
        "months": months,
        "months_svg": pictures.months_svg(months, cooperative.currency),
    }
    context |= pictures.flow(picture, cooperative.slug, with_funders=False)
    return render(request, "budgets/open/stream.html", context)


def _receipts(item, viewer) -> list[tuple]:
    """The item's receipts, each with whether the visitor may open its file."""
    return [(r, viewer is not None and may_see_receipt(viewer, r)) for r in item.receipts.all()]


def project(request, slug, number):
    """One adopted project: the decision, its budget, and every expense and advance paid from
    it with its receipts and chain events. Residents are never named."""
    cooperative = _cooperative(slug)
    proposal = get_object_or_404(
        Proposal.objects.select_related("stream__funder", "place"),
        cooperative=cooperative,
        number=number,
        status=ProposalStatus.ADOPTED,
        budget_account__isnull=False,
    )
    picture = selectors.money(cooperative, stream=proposal.stream) if proposal.stream else None
    if picture is None:
        picture = selectors.money(cooperative)
    budget = next(p for p in picture.projects if p.proposal.pk == proposal.pk)
    page = Paginator(selectors.expenses_of(proposal), PER_PAGE).get_page(request.GET.get("page"))
    expenses = list(page.object_list)
    advances = list(selectors.advances_of(proposal)[:PER_PAGE])
    events = selectors.expense_events(cooperative, expenses)
    advance_events = selectors.events_of(cooperative, [f"budgets.advance:{a.pk}" for a in advances])
    viewer = membership_for(request.user, cooperative) if request.user.is_authenticated else None
    for item in expenses:
        item.events = events[item.pk]
        item.receipt_list = _receipts(item, viewer)
    for item in advances:
        item.events = advance_events.get(f"budgets.advance:{item.pk}", [])
        item.receipt_list = _receipts(item, viewer)
    context = _common(cooperative) | {
        "proposal": proposal,
        "money": picture,
        "budget": budget,
        "decisions": selectors.decisions(cooperative, proposal=proposal, limit=None),
        "page": page,
        "expenses": expenses,
        "advances": advances,
        "category_names": selectors.category_names(),
    }
    return render(request, "budgets/open/project.html", context)
