"""Web pages for deciding together: funding streams, proposals, votes, ballots and results.

Views are thin: parse, check access, call one service, answer. The ballot page is made for a
cheap phone and works without a script; the receipt is shown once, in the answer to the ballot,
and never stored beside the voter.
"""

import base64

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budgets import explain, forms, rules, selectors, services, suggestions
from budgets.models import (
    Agreement,
    BankAccount,
    BankLineStatus,
    Channel,
    Proposal,
    ProposalStatus,
    Secrecy,
    Vote,
    VoteKind,
    Voter,
    YesNo,
)
from budgets.statements import csvfile
from budgets.statements import model as statement_model
from members.models import Membership, Role
from members.permissions import cooperative_view, holds_role
from wijkbv.errors import DomainError
from wijkbv.web import call_service

FAILED = call_service.FAILED
# Who proposes projects and votes: the people of the neighbourhood, not its funders.
RESIDENT_ROLES = services.RESIDENT_ROLES
# Who sees the board's page; each part of it shows for the roles that may act on it.
BOARD_PAGE_ROLES = (Role.BOARD, Role.TREASURER, Role.COORDINATOR)
STREAM_ROLES = (Role.BOARD, Role.TREASURER)
AGREEMENT_ROLES = (Role.BOARD, Role.COORDINATOR)
PAPER_ROLES = (Role.COORDINATOR, Role.BOARD)
# Published ballots per page of the results.
BALLOTS_PER_PAGE = 100
# Tracker characters a search needs, so that a search does not list half the ballots.
RECEIPT_SEARCH_MIN = 4


def _render(request, template: str, context: dict, status: int = 200):
    """A page of the cooperative, with the person's membership for the layout."""
    context = {"cooperative": request.cooperative, "membership": request.membership} | context
    return render(request, template, context, status=status)


def _vote(request, pk) -> Vote:
    return get_object_or_404(
        Vote.objects.select_related("stream", "cooperative"), pk=pk, cooperative=request.cooperative
    )


def _proposal(request, number) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("stream"), number=number, cooperative=request.cooperative
    )


def _member(cooperative, number) -> Membership | None:
    return (
        Membership.objects.select_related("user")
        .filter(cooperative=cooperative, member_number=number)
        .first()
    )


def _places(cooperative):
    return cooperative.places.filter(is_active=True).order_by("name")


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


# Home


@cooperative_view()
def home(request):
    """What there is to decide: open votes, proposals, and the results of closed votes."""
    cooperative = request.cooperative
    membership = request.membership
    running, closed = [], []
    for vote in selectors.votes(cooperative):
        if vote.is_closed:
            closed.append(vote)
        else:
            running.append(
                {
                    "vote": vote,
                    "place": selectors.my_place(vote, membership),
                    "turnout": selectors.turnout(vote),
                }
            )
    return _render(
        request,
        "budgets/home.html",
        {
            "running": running,
            "closed": closed,
            "mine": selectors.proposals_of(membership),
            "eligible": selectors.proposals(cooperative).filter(
                status__in=(ProposalStatus.ELIGIBLE, ProposalStatus.IN_VOTE)
            ),
            "my_agreements": selectors.agreements(cooperative).filter(
                responsible=membership, done_on__isnull=True
            ),
            "may_propose": holds_role(membership, *RESIDENT_ROLES),
            "may_see_board": holds_role(membership, *BOARD_PAGE_ROLES),
        },
    )


# Proposals


def _proposal_form(request, data=None):
    return forms.ProposalForm(
        data,
        streams=selectors.streams(request.cooperative),
        places=_places(request.cooperative),
    )


@cooperative_view(*RESIDENT_ROLES)
def propose(request):
    """Propose a project, and follow what became of one's proposals."""
    form = _proposal_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        proposal = call_service(
            form,
            services.submit_proposal,
            request.cooperative,
            actor=request.user,
            **form.cleaned_data,
        )
        if proposal is not FAILED:
            messages.success(
                request,
                _("Thank you! Your proposal %(title)s is sent. The board will check it.")
                % {"title": proposal.title},
            )
            return redirect("budgets:propose", slug=request.cooperative.slug)
    return _render(
        request,
        "budgets/propose.html",
        {"form": form, "mine": selectors.proposals_of(request.membership)},
        status=_status(form),
    )


@cooperative_view()
@require_POST
def withdraw(request, number):
    """The proposer (or the board) takes a proposal back."""
    proposal = _proposal(request, number)
    try:
        services.withdraw_proposal(proposal, actor=request.user)
    except DomainError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("Your proposal has been withdrawn."))
    return redirect("budgets:propose", slug=request.cooperative.slug)


# Money


@cooperative_view()
def streams(request):
    """Each source of money: committed, received, allocated and left."""
    return _render(
        request,
        "budgets/streams.html",
        {
            "summaries": selectors.stream_summaries(request.cooperative),
            "may_add": holds_role(request.membership, *STREAM_ROLES),
            "may_record": holds_role(request.membership, Role.TREASURER),
        },
    )


@cooperative_view(*STREAM_ROLES)
def add_stream(request):
    """Record money a funder committed."""
    form = forms.StreamForm(
        request.POST if request.method == "POST" else None,
        funders=request.cooperative.partner_organisations.order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        stream = call_service(
            form,
            services.add_funding_stream,
            request.cooperative,
            actor=request.user,
            **form.cleaned_data,
        )
        if stream is not FAILED:
            messages.success(
                request, _("The funding stream %(name)s has been added.") % {"name": stream.name}
            )
            return redirect("budgets:streams", slug=request.cooperative.slug)
    return _render(request, "budgets/add_stream.html", {"form": form}, status=_status(form))


@cooperative_view(Role.TREASURER)
def record_receipt(request, pk):
    """The treasurer records money a funder sent."""
    stream = get_object_or_404(selectors.streams(request.cooperative), pk=pk)
    form = forms.ReceiptForm(
        request.POST if request.method == "POST" else None,
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        booked = call_service(
            form, services.record_stream_receipt, stream, actor=request.user, **form.cleaned_data
        )
        if booked is not FAILED:
            messages.success(request, _("The money received has been recorded."))
            return redirect("budgets:streams", slug=request.cooperative.slug)
    return _render(
        request,
        "budgets/record_receipt.html",
        {"form": form, "stream": stream, "summary": selectors.stream_summary(stream)},
        status=_status(form),
    )


# Bank accounts and statements

# Who reads the bank accounts, statements and lines: the treasurer keeps them, the board and the
# audit committee check them.
BANK_READ_ROLES = (Role.TREASURER, Role.BOARD, Role.AUDIT_COMMITTEE)
# Bank lines per page.
LINES_PER_PAGE = 50
# Statements shown above the lines: the newest; older ones stay in their lines.
STATEMENTS_SHOWN = 24


def _bank_accounts_page(request, form=None, status=200):
    may_add = holds_role(request.membership, Role.TREASURER)
    if may_add and form is None:
        form = forms.BankAccountForm()
    accounts = BankAccount.objects.filter(cooperative=request.cooperative).annotate(
        line_count=Count("lines"),
        unmatched=Count("lines", filter=Q(lines__status=BankLineStatus.UNMATCHED)),
    )
    return _render(
        request,
        "budgets/bank_accounts.html",
        {"accounts": accounts, "form": form, "may_add": may_add},
        status=status,
    )


@cooperative_view(*BANK_READ_ROLES)
def bank_accounts(request):
    """The cooperative's bank accounts; the treasurer adds one here."""
    if request.method != "POST":
        return _bank_accounts_page(request)
    if not holds_role(request.membership, Role.TREASURER):
        raise PermissionDenied
    form = forms.BankAccountForm(request.POST)
    if form.is_valid():
        account = call_service(
            form,
            services.add_bank_account,
            request.cooperative,
            actor=request.user,
            **form.cleaned_data,
        )
        if account is not FAILED:
            messages.success(
                request, _("The bank account %(name)s has been added.") % {"name": account.name}
            )
            return redirect("budgets:bank_accounts", slug=request.cooperative.slug)
    return _bank_accounts_page(request, form, status=400)


# A CSV file is kept in the session between its upload and the step that names its bank account
# (and its columns) up to this size; a larger one is asked for again in that step.
CSV_KEPT_BYTES = 2 * 1024 * 1024
CSV_SESSION_KEY = "budgets.statement_csv"


def _imported(request, record):
    messages.success(
        request,
        _("%(file)s has been imported: %(statements)s statements, %(lines)s new lines.")
        % {
            "file": record.file_name,
            "statements": record.statements.count(),
            "lines": record.line_count,
        },
    )
    return redirect("budgets:bank_lines", slug=request.cooperative.slug, pk=record.bank_account_id)


def _add_refusal(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


@cooperative_view(Role.TREASURER)
def import_statement(request):
    """The treasurer uploads a statement file from the bank; it is stored whole or not at all.
    A CSV file takes a second step: its bank account, the balance after its last line, and,
    the first time for that account, which column holds what."""
    if request.method == "POST" and "csv_step" in request.POST:
        return _import_csv(request)
    form = forms.StatementFileForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # Refused by its size before it is read, so a huge upload is never held in memory.
        try:
            statement_model.check_file_size(upload.size)
        except statement_model.StatementError as too_big:
            form.add_error("file", too_big.text(_))
        else:
            data = upload.read()
            try:
                record = services.import_statement(
                    request.cooperative, actor=request.user, data=data, file_name=upload.name
                )
            except DomainError as error:
                if error.code != "needs_bank_account":
                    _add_refusal(form, error)
                else:
                    kept = _keep_csv(request, upload.name, data)
                    return _csv_page(request, kept, _csv_form(request, kept))
            else:
                return _imported(request, record)
    return _render(request, "budgets/import_statement.html", {"form": form}, status=_status(form))


def _keep_csv(request, name: str, data: bytes) -> dict:
    found = csvfile.sample(data)
    kept = {
        "cooperative": request.cooperative.pk,
        "name": name,
        "data": base64.b64encode(data).decode() if len(data) <= CSV_KEPT_BYTES else None,
        "delimiter": found.delimiter,
        "header": list(found.header),
        "first": list(found.first),
        "has_header": found.has_header,
    }
    request.session[CSV_SESSION_KEY] = kept
    return kept


def _csv_form(request, kept, data=None, files=None):
    accounts = BankAccount.objects.filter(cooperative=request.cooperative).order_by("name", "pk")
    return forms.CsvImportForm(accounts, data, files, ask_file=kept["data"] is None)


def _mapping_form(kept, data=None, initial=None):
    return forms.CsvMappingForm(
        kept["header"],
        data,
        initial=initial,
        delimiter=kept["delimiter"],
        has_header=kept.get("has_header", True),
    )


def _csv_page(request, kept, form, mapping_form=None, status=200):
    return _render(
        request,
        "budgets/import_statement_csv.html",
        {
            "file_name": kept["name"],
            "form": form,
            "mapping_form": mapping_form,
            "has_header": kept.get("has_header", True),
            "has_accounts": form.fields["bank_account"].queryset.exists(),
        },
        status=status,
    )


def _import_csv(request):
    """The second step for a CSV file kept from the first; with `csv_step=mapping` the columns
    are saved on the bank account first (save_csv_mapping), then the file is imported."""
    kept = request.session.get(CSV_SESSION_KEY)
    if not kept or kept.get("cooperative") != request.cooperative.pk:
        problem = _("The file is no longer here. Choose it again.")
        context = {"form": forms.StatementFileForm(), "problem": problem}
        return _render(request, "budgets/import_statement.html", context, status=400)
    form = _csv_form(request, kept, request.POST, request.FILES)
    with_mapping = request.POST.get("csv_step") == "mapping"
    mapping_form = _mapping_form(kept, request.POST) if with_mapping else None
    if not form.is_valid() or (mapping_form is not None and not mapping_form.is_valid()):
        return _csv_page(request, kept, form, mapping_form, status=400)
    account = form.cleaned_data["bank_account"]
    if kept["data"] is not None:
        data = base64.b64decode(kept["data"])
    else:
        upload = form.cleaned_data["file"]
        try:
            statement_model.check_file_size(upload.size)
        except statement_model.StatementError as too_big:
            form.add_error("file", too_big.text(_))
            return _csv_page(request, kept, form, mapping_form, status=400)
        data = upload.read()
    try:
        # The columns are kept only when the file imports with them, so a refusal leaves the
        # bank account as it was and the page shows the columns as chosen, to correct.
        with transaction.atomic():
            if mapping_form is not None:
                try:
                    account = services.save_csv_mapping(
                        account, actor=request.user, mapping=mapping_form.mapping()
                    )
                except DomainError as error:
                    _add_refusal(mapping_form, error)
                    return _csv_page(request, kept, form, mapping_form, status=400)
            record = services.import_statement(
                request.cooperative,
                actor=request.user,
                data=data,
                file_name=kept["name"],
                bank_account=account,
                closing_balance=form.cleaned_data["closing_balance"],
            )
    except DomainError as error:
        if error.code == "no_mapping":
            # The first CSV file of this account: ask which column holds what, from a guess.
            guess = csvfile.guess_mapping(
                csvfile.Sample(kept["delimiter"], tuple(kept["header"]), tuple(kept["first"]))
            )
            initial = forms.CsvMappingForm.initial_from(guess)
            return _csv_page(request, kept, form, _mapping_form(kept, initial=initial))
        _add_refusal(form, error)
        if mapping_form is None and error.code in ("unreadable", "bad_mapping"):
            # The saved columns do not fit this file: offer them to be corrected.
            initial = forms.CsvMappingForm.initial_from(account.csv_mapping)
            mapping_form = _mapping_form(kept, initial=initial)
        return _csv_page(request, kept, form, mapping_form, status=400)
    request.session.pop(CSV_SESSION_KEY, None)
    return _imported(request, record)


# The filter of the lines page: lines not booked yet, matched or not.
OPEN_LINES = "open"


@cooperative_view(*BANK_READ_ROLES)
def bank_lines(request, pk):
    """The statements and lines of one bank account, newest first; "not booked yet"
    (`?status=open`) shows the lines the treasurer still has work on: those not matched and
    those waiting with a suggestion."""
    account = get_object_or_404(BankAccount, pk=pk, cooperative=request.cooperative)
    unmatched_only = request.GET.get("status") == OPEN_LINES
    lines = account.lines.order_by("-booking_date", "-pk")
    if unmatched_only:
        lines = lines.exclude(status=BankLineStatus.BOOKED)
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    described = suggestions.describe(request.cooperative, page.object_list)
    for line in page.object_list:
        line.suggestion = described.get(line.pk)
    statements = account.statements.order_by("-closing_date", "-pk")[:STATEMENTS_SHOWN]
    return _render(
        request,
        "budgets/bank_lines.html",
        {
            "account": account,
            "statements": statements,
            "page": page,
            "unmatched_only": unmatched_only,
            "may_import": holds_role(request.membership, Role.TREASURER),
            "may_book": holds_role(request.membership, Role.TREASURER),
        },
    )


# Matching and booking bank lines: the treasurer only. Each action answers with a redirect to
# the account's lines and a message saying what was done or why nothing was.


def _to_lines(request, account):
    return redirect("budgets:bank_lines", slug=request.cooperative.slug, pk=account.pk)


def _bank_line(request, pk, line_pk):
    """A line of one of the cooperative's bank accounts; another cooperative's is not found."""
    account = get_object_or_404(BankAccount, pk=pk, cooperative=request.cooperative)
    return account, get_object_or_404(account.lines, pk=line_pk)


@cooperative_view(Role.TREASURER)
@require_POST
def match_bank_lines(request, pk):
    """Matching runs over every line of the cooperative not booked yet, whichever account's
    page it is started from; the message gives the counts."""
    account = get_object_or_404(BankAccount, pk=pk, cooperative=request.cooperative)
    try:
        result = services.match_bank_lines(request.cooperative, actor=request.user)
    except DomainError as refused:
        messages.error(request, str(refused.message))
        return _to_lines(request, account)
    messages.success(
        request,
        _(
            "Matching is done. Booked: %(booked)s. Waiting for you with a suggestion: "
            "%(waiting)s. Not matched yet: %(unmatched)s."
        )
        % {
            "booked": result["booked"],
            "waiting": result["suggested"],
            "unmatched": result["lines"] - result["booked"] - result["suggested"],
        },
    )
    return _to_lines(request, account)


@cooperative_view(Role.TREASURER)
@require_POST
def accept_suggestion(request, pk, line_pk):
    account, line = _bank_line(request, pk, line_pk)
    try:
        services.accept_suggestion(line, actor=request.user)
    except DomainError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("The suggestion has been accepted and the line booked."))
    return _to_lines(request, account)


def _book_line_page(request, account, line, *, form=None, link_form=None, status=200):
    """The page of one line: booked to an account, or said to be a booking made already."""
    if form is None:
        form = forms.BookBankLineForm(selectors.bookable_accounts(request.cooperative))
    if link_form is None and line.status != BankLineStatus.BOOKED:
        link_form = forms.LinkBankLineForm(selectors.bookings_for_line(line))
    return _render(
        request,
        "budgets/book_bank_line.html",
        {"account": account, "line": line, "form": form, "link_form": link_form},
        status=status,
    )


@cooperative_view(Role.TREASURER)
def book_bank_line(request, pk, line_pk):
    """One line, booked to an account the treasurer chooses, on a page of its own so that the
    list of accounts fits on a phone."""
    account, line = _bank_line(request, pk, line_pk)
    accounts = selectors.bookable_accounts(request.cooperative)
    form = forms.BookBankLineForm(accounts, request.POST if request.method == "POST" else None)
    if form.is_valid():
        booked = call_service(
            form,
            services.book_bank_line,
            line,
            actor=request.user,
            account=form.cleaned_data["account"],
            description=form.cleaned_data["description"],
        )
        if booked is not FAILED:
            messages.success(
                request,
                _("The line has been booked to %(account)s.")
                % {"account": form.cleaned_data["account"]},
            )
            return _to_lines(request, account)
    return _book_line_page(request, account, line, form=form, status=_status(form))


@cooperative_view(Role.TREASURER)
@require_POST
def link_bank_line(request, pk, line_pk):
    """The line is a booking made already, chosen from those the page offers."""
    account, line = _bank_line(request, pk, line_pk)
    link_form = forms.LinkBankLineForm(selectors.bookings_for_line(line), request.POST)
    if line.status == BankLineStatus.BOOKED:
        # Booked meanwhile (on another page or by matching): say so, not that the booking
        # is no longer in the list.
        link_form.add_error(None, _("This bank line has already been booked."))
    elif link_form.is_valid():
        booking = link_form.chosen()
        linked = call_service(
            link_form, services.link_bank_line, line, actor=request.user, booking=booking
        )
        if linked is not FAILED:
            messages.success(
                request,
                _("The line is now the bank line of the booking %(booking)s.")
                % {"booking": booking.description},
            )
            return _to_lines(request, account)
    line.refresh_from_db()
    return _book_line_page(request, account, line, link_form=link_form, status=400)


# The board


def _board_page(request, *, check_forms=None, status=200):
    cooperative = request.cooperative
    membership = request.membership
    # What a source has left is read once per source, not once per proposal.
    left = {}
    proposals = list(selectors.proposals_to_check(cooperative))
    for proposal in proposals:
        if proposal.stream_id not in left:
            left[proposal.stream_id] = selectors.left_in(cooperative, proposal.stream)
    to_check = [
        {
            "proposal": proposal,
            "left": left[proposal.stream_id],
            "form": (check_forms or {}).get(proposal.number)
            or forms.CheckProposalForm(prefix=f"p{proposal.number}"),
        }
        for proposal in proposals
    ]
    now = timezone.now()
    running = [vote for vote in selectors.votes(cooperative) if not vote.is_closed]
    return _render(
        request,
        "budgets/board.html",
        {
            "is_board": holds_role(membership, Role.BOARD),
            "is_treasurer": holds_role(membership, Role.TREASURER),
            "is_coordinator": holds_role(membership, *PAPER_ROLES),
            "may_agree": holds_role(membership, *AGREEMENT_ROLES),
            "to_check": to_check if holds_role(membership, Role.BOARD) else [],
            "running": running,
            "now": now,
        },
        status=status,
    )


@cooperative_view(*BOARD_PAGE_ROLES)
def board(request):
    """The board's work: proposals to check, votes to open and close, money and agreements."""
    return _board_page(request)


@cooperative_view(Role.BOARD)
@require_POST
def check(request, number):
    """The board says whether a proposal can be voted on."""
    proposal = _proposal(request, number)
    form = forms.CheckProposalForm(request.POST, prefix=f"p{proposal.number}")
    if form.is_valid():
        done = call_service(
            form, services.check_proposal, proposal, actor=request.user, **form.cleaned_data
        )
        if done is not FAILED:
            messages.success(
                request,
                _("Proposal %(number)s has been checked.") % {"number": proposal.number},
            )
            return redirect("budgets:board", slug=request.cooperative.slug)
    return _board_page(request, check_forms={proposal.number: form}, status=400)


@cooperative_view(Role.BOARD)
def open_vote(request):
    """The board puts a question or proposals to the members."""
    cooperative = request.cooperative
    form = forms.VoteForm(
        request.POST if request.method == "POST" else None,
        proposals=selectors.proposals(cooperative, status=ProposalStatus.ELIGIBLE).order_by(
            "number"
        ),
        streams=selectors.streams(cooperative),
        initial={"kind": VoteKind.BUDGET, "quorum": 0},
    )
    if request.method == "POST" and form.is_valid():
        vote = call_service(
            form, services.open_vote, cooperative, actor=request.user, **form.cleaned_data
        )
        if vote is not FAILED:
            messages.success(request, _("The vote %(title)s is ready.") % {"title": vote.title})
            return redirect("budgets:board", slug=cooperative.slug)
    return _render(
        request,
        "budgets/open_vote.html",
        {"form": form, "summaries": selectors.stream_summaries(cooperative)},
        status=_status(form),
    )


@cooperative_view(Role.BOARD)
@require_POST
def close_vote(request, pk):
    """The board closes a vote after its closing time: counted, decided and allocated."""
    vote = _vote(request, pk)
    try:
        services.close_vote(vote, actor=request.user)
    except DomainError as refused:
        messages.error(request, str(refused.message))
        return redirect("budgets:board", slug=request.cooperative.slug)
    messages.success(request, _("The vote has been closed and counted."))
    return redirect("budgets:results", slug=request.cooperative.slug, pk=vote.pk)


def _agreements_page(request, form=None, status=200):
    cooperative = request.cooperative
    adopted = selectors.proposals(cooperative, status=ProposalStatus.ADOPTED).order_by("number")
    return _render(
        request,
        "budgets/agreements.html",
        {
            "form": form or forms.AgreementForm(proposals=adopted),
            "agreements": selectors.agreements(cooperative),
        },
        status=status,
    )


@cooperative_view(*AGREEMENT_ROLES)
def agreements(request):
    """Who does what by when for the adopted proposals."""
    if request.method != "POST":
        return _agreements_page(request)
    cooperative = request.cooperative
    adopted = selectors.proposals(cooperative, status=ProposalStatus.ADOPTED).order_by("number")
    form = forms.AgreementForm(request.POST, proposals=adopted)
    if form.is_valid():
        data = dict(form.cleaned_data)
        responsible = _member(cooperative, data.pop("responsible"))
        if responsible is None:
            form.add_error("responsible", _("There is no member with this number."))
        else:
            made = call_service(
                form,
                services.add_agreement,
                data.pop("proposal"),
                actor=request.user,
                responsible=responsible,
                **data,
            )
            if made is not FAILED:
                messages.success(request, _("The agreement has been written down."))
                return redirect("budgets:agreements", slug=cooperative.slug)
    return _agreements_page(request, form, status=400)


@cooperative_view()
@require_POST
def agreement_done(request, pk):
    """The person responsible, a coordinator or the board marks an agreement as done."""
    agreement = get_object_or_404(Agreement, pk=pk, proposal__cooperative=request.cooperative)
    try:
        services.complete_agreement(agreement, actor=request.user)
    except DomainError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("The agreement is marked as done."))
    if holds_role(request.membership, *AGREEMENT_ROLES):
        return redirect("budgets:agreements", slug=request.cooperative.slug)
    return redirect("budgets:home", slug=request.cooperative.slug)


@cooperative_view(Role.TREASURER)
def close_year(request):
    """The treasurer closes a year that has ended: its result goes to the reserve."""
    form = forms.YearForm(
        request.POST if request.method == "POST" else None,
        initial={"year": timezone.localdate().year - 1},
    )
    if request.method == "POST" and form.is_valid():
        closed = call_service(
            form, services.close_year, request.cooperative, actor=request.user, **form.cleaned_data
        )
        if closed is not FAILED:
            messages.success(
                request,
                _(
                    "The year %(year)s is closed. Its result, %(result)s, went to the reinvestment reserve."
                )
                % {"year": closed.year, "result": explain.money(closed.result, closed.currency)},
            )
            return redirect("budgets:streams", slug=request.cooperative.slug)
    return _render(
        request,
        "budgets/close_year.html",
        {"form": form, "closed": request.cooperative.year_closes.all()},
        status=_status(form),
    )


# Voting


def _ballot_proposals(vote):
    return list(vote.proposals.select_related("place").order_by("number"))


def _not_open_message(vote, place) -> str | None:
    """Why this member cannot vote now, or None when they can."""
    state = vote.state
    if state == "scheduled":
        return _("This vote opens on %(moment)s. Come back then.") % {
            "moment": _moment(vote.opens_at)
        }
    if state in ("to_close", "closed"):
        return _("This vote has closed: no more ballots can be cast.")
    if not place.may_vote:
        return _(
            "You are not on the list of voters for this vote. That list was fixed when the "
            "vote opened."
        )
    return None


def _moment(value) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _voting_for(request, place):
    """The voter whose proxy the member uses for this ballot (from `?for=` or the form), or
    None for their own ballot."""
    number = request.POST.get("for_member") or request.GET.get("for")
    if not number or not str(number).isdigit():
        return None
    for held in place.proxies_held:
        if held.membership.member_number == int(number):
            return held
    return None


def _ballot_page(request, vote, *, form=None, proxy_form=None, voting_for=None, status=200):
    place = selectors.my_place(vote, request.membership)
    proposals = _ballot_proposals(vote)
    message = _not_open_message(vote, place)
    if message is not None:
        return _render(
            request,
            "budgets/ballot_closed.html",
            {"vote": vote, "message": message},
        )
    form = form or forms.BallotForm(vote=vote, proposals=proposals)
    chosen = set()
    if vote.kind == VoteKind.BUDGET and form.is_bound:
        chosen = set(form.data.getlist("approvals"))
    chosen_total = sum((p.amount for p in proposals if p.tally_id in chosen), 0)
    limit = vote.budget_limit or 0
    return _render(
        request,
        "budgets/ballot.html",
        {
            "vote": vote,
            "place": place,
            "form": form,
            "proposals": proposals,
            "chosen": chosen,
            "chosen_total": chosen_total,
            "chosen_percent": min(100, int(chosen_total * 100 / limit)) if limit else 0,
            "explanation": explain.vote_explanation(vote),
            "proxy_form": proxy_form or forms.ProxyForm(),
            "voting_for": voting_for,
            "may_give_proxy": not place.has_voted
            and not place.proxies_held
            and place.voter.proxy_holder_id is None,
            "limit_text": explain.money(limit, vote.cooperative.currency),
            "chosen_text": explain.money(chosen_total, vote.cooperative.currency),
            "may_enter_paper": holds_role(request.membership, *PAPER_ROLES),
        },
        status=status,
    )


@cooperative_view()
def ballot(request, pk):
    """The ballot: the rule in plain words, then yes/no/abstain or the projects with a running
    budget bar. Sending it answers with the receipt."""
    vote = _vote(request, pk)
    place = selectors.my_place(vote, request.membership)
    voting_for = _voting_for(request, place) if place.may_vote else None
    if request.method != "POST":
        return _ballot_page(request, vote, voting_for=voting_for)
    proposals = _ballot_proposals(vote)
    form = forms.BallotForm(request.POST, vote=vote, proposals=proposals)
    if request.POST.get("for_member") and voting_for is None:
        # Meant for someone whose proxy is no longer held: never count it as one's own.
        form.add_error(None, _("You no longer hold this member's proxy for this vote."))
        return _ballot_page(request, vote, form=form, status=400)
    if form.is_valid():
        receipt = call_service(
            form,
            services.cast_ballot,
            vote,
            actor=request.user,
            for_member=voting_for.membership if voting_for else None,
            **form.ballot(),
        )
        if receipt is not FAILED:
            # The receipt is shown in this answer only: storing it for a redirect would keep it
            # next to the voter's session.
            return _render(
                request,
                "budgets/voted.html",
                {"vote": vote, "receipt": receipt, "voting_for": voting_for},
            )
    if form.non_field_errors() and _not_open_message(vote, place):
        return _ballot_page(request, vote)
    return _ballot_page(request, vote, form=form, voting_for=voting_for, status=400)


def _proxy_holder(vote, form, text):
    """The member a proxy goes to: by member number, or by full name among the voters."""
    text = text.strip()
    if text.isdigit():
        member = _member(vote.cooperative, int(text))
        if member is None:
            form.add_error("to", _("There is no member with this number."))
        return member
    voters = list(
        Voter.objects.filter(vote=vote, membership__user__full_name__iexact=text).select_related(
            "membership"
        )[:2]
    )
    if len(voters) == 1:
        return voters[0].membership
    if voters:
        form.add_error("to", _("More than one voter has this name: fill in the member number."))
    else:
        form.add_error(
            "to", _("Nobody on the list of voters has this name: fill in the member number.")
        )
    return None


@cooperative_view()
@require_POST
def proxy(request, pk):
    """Give my proxy for this vote to another voter, or take it back."""
    vote = _vote(request, pk)
    if "withdraw" in request.POST:
        try:
            services.withdraw_proxy(vote, actor=request.user)
        except DomainError as refused:
            messages.error(request, str(refused.message))
        else:
            messages.success(request, _("You took your proxy back. You can vote yourself now."))
        return redirect("budgets:ballot", slug=request.cooperative.slug, pk=vote.pk)
    form = forms.ProxyForm(request.POST)
    if form.is_valid():
        holder = _proxy_holder(vote, form, form.cleaned_data["to"])
        if holder is not None:
            given = call_service(form, services.give_proxy, vote, actor=request.user, to=holder)
            if given is not FAILED:
                messages.success(
                    request,
                    _("Member %(number)s now votes for you in this vote.")
                    % {"number": holder.member_number},
                )
                return redirect("budgets:ballot", slug=request.cooperative.slug, pk=vote.pk)
    return _ballot_page(request, vote, proxy_form=form, status=400)


@cooperative_view(*PAPER_ROLES)
def paper(request, pk):
    """A coordinator enters a ballot filled in on paper at a place."""
    vote = _vote(request, pk)
    proposals = _ballot_proposals(vote)
    form = forms.PaperBallotForm(
        request.POST if request.method == "POST" else None,
        vote=vote,
        proposals=proposals,
        places=_places(request.cooperative),
    )
    if request.method == "POST" and form.is_valid():
        member = _member(request.cooperative, form.cleaned_data["member"])
        if member is None:
            form.add_error("member", _("There is no member with this number."))
        else:
            receipt = call_service(
                form,
                services.enter_paper_ballot,
                vote,
                actor=request.user,
                member=member,
                place=form.cleaned_data["place"],
                **form.ballot(),
            )
            if receipt is not FAILED:
                messages.success(
                    request,
                    _("The paper ballot of member %(number)s is counted. Its receipt: %(tracker)s")
                    % {"number": member.member_number, "tracker": receipt.tracker},
                )
                return redirect("budgets:paper", slug=request.cooperative.slug, pk=vote.pk)
    return _render(
        request,
        "budgets/paper.html",
        {
            "vote": vote,
            "form": form,
            "proposals": proposals,
            "is_open": vote.state == "open",
            "explanation": explain.vote_explanation(vote),
        },
        status=_status(form),
    )


# Results


def _chart(vote, proposals) -> list[dict]:
    """The bars of the results chart: approvals per project, or yes/no/abstain."""
    tally = vote.tally or {}
    if vote.kind == VoteKind.BUDGET:
        approvals = tally.get("approvals", {})
        winners = set(tally.get("winners", []))
        rows = [
            {"label": p.title, "value": approvals.get(p.tally_id, 0), "won": p.tally_id in winners}
            for p in proposals
        ]
        rows.sort(key=lambda row: -row["value"])
    else:
        totals = tally.get("totals", {})
        rows = [
            {"label": str(label), "value": totals.get(value, 0), "won": False}
            for value, label in YesNo.choices
        ]
    most = max((row["value"] for row in rows), default=0) or 1
    for index, row in enumerate(rows):
        row["width"] = round(row["value"] * 300 / most)
        row["y"] = index * 36
    return rows


def _projects(vote, proposals) -> list[dict]:
    tally = vote.tally or {}
    currency = vote.cooperative.currency
    titles = {p.tally_id: p.title for p in proposals}
    losses = tally.get("losses", {})
    winners = tally.get("winners", [])
    order = {pid: index for index, pid in enumerate(winners)}
    rows = []
    for p in proposals:
        loss = losses.get(p.tally_id)
        rows.append(
            {
                "proposal": p,
                "won": p.tally_id in order,
                "approvals": tally.get("approvals", {}).get(p.tally_id, 0),
                "why": explain.loss_sentences(loss, titles, currency) if loss else [],
            }
        )
    rows.sort(key=lambda row: (not row["won"], order.get(row["proposal"].tally_id, 0)))
    return rows


def _ballot_rows(vote, ballots, titles) -> list[dict]:
    rows = []
    for ballot in ballots:
        if vote.kind == VoteKind.BUDGET:
            content = ", ".join(f"#{pid}" for pid in ballot.approvals) or _("nothing")
        else:
            content = ballot.get_choice_display()
        rows.append(
            {
                "tracker": ballot.tracker,
                "content": content,
                "weight": ballot.weight,
            }
        )
    return rows


@cooperative_view()
def results(request, pk):
    """The outcome of a vote, with its chart, why projects lost, and every ballot."""
    vote = _vote(request, pk)
    if not vote.is_closed:
        return _render(
            request,
            "budgets/ballot_closed.html",
            {
                "vote": vote,
                "message": _("The results are shown here once the vote is closed and counted."),
                "turnout": selectors.turnout(vote),
            },
        )
    proposals = _ballot_proposals(vote)
    titles = {p.tally_id: p.title for p in proposals}
    search = request.GET.get("receipt", "").strip().lower()
    ballots = selectors.published_ballots(vote)
    searched = False
    if search:
        searched = True
        ballots = (
            ballots.filter(tracker__startswith=search)
            if len(search) >= RECEIPT_SEARCH_MIN
            else ballots.none()
        )
    page = Paginator(ballots, BALLOTS_PER_PAGE).get_page(request.GET.get("page"))
    tally = vote.tally or {}
    currency = vote.cooperative.currency
    chart = _chart(vote, proposals)
    return _render(
        request,
        "budgets/results.html",
        {
            "vote": vote,
            "tally": tally,
            "turnout": tally.get("turnout", {}),
            "chart": chart,
            "chart_height": len(chart) * 36,
            "projects": _projects(vote, proposals) if vote.kind == VoteKind.BUDGET else [],
            "spent": explain.money(tally.get("spent", 0), currency),
            "limit": explain.money(vote.budget_limit or 0, currency),
            "rule_text": explain.rule_explanation(vote.rule),
            "page": page,
            "ballots": _ballot_rows(vote, page.object_list, titles),
            "search": search,
            "searched": searched,
            "search_too_short": searched and len(search) < RECEIPT_SEARCH_MIN,
            "search_min": RECEIPT_SEARCH_MIN,
            "roll_call": selectors.roll_call(vote) if vote.secrecy == Secrecy.OPEN else [],
            "pabulib": vote.kind == VoteKind.BUDGET and _pabulib() is not None,
            "paper": Channel.PAPER,
        },
    )


def _pabulib():
    """The Pabulib file module, where this installation has it."""
    try:
        from budgets import pabulib
    except ImportError:
        return None
    return pabulib if hasattr(pabulib, "write") else None


def pabulib_text(vote, pabulib) -> str:
    """The published ballots of a closed budget vote as a Pabulib file. Each ballot's voter id
    is its receipt, so a voter finds their row in the file as on the results page."""
    proposals = _ballot_proposals(vote)
    meta = {
        "description": vote.title,
        "country": "Netherlands",
        "unit": vote.cooperative.name,
        "instance": str(vote.closed_at.year),
        "budget": vote.budget_limit,
        "rule": vote.rule,
        "currency": vote.cooperative.currency,
        "date_begin": timezone.localtime(vote.opens_at).date().isoformat(),
        "date_end": timezone.localtime(vote.closes_at).date().isoformat(),
    }
    projects = [rules.Project(p.tally_id, p.amount, p.title) for p in proposals]
    ballots = list(selectors.published_ballots(vote))
    return pabulib.write(
        meta,
        projects,
        [rules.Ballot(frozenset(b.approvals), b.weight) for b in ballots],
        voter_ids=[b.tracker for b in ballots],
    )


@cooperative_view()
def download(request, pk):
    """The published ballots of a closed budget vote as a Pabulib file, to recount elsewhere."""
    vote = _vote(request, pk)
    pabulib = _pabulib()
    if pabulib is None or not vote.is_closed or vote.kind != VoteKind.BUDGET:
        raise Http404
    response = HttpResponse(pabulib_text(vote, pabulib), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vote-{vote.pk}.pb"'
    return response
