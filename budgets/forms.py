"""Forms only parse and report; the rules live in budgets/services.py.

Field names are those of the services' arguments, so that a refusal about `amount` or
`closes_at` lands under that field on the page. Amounts stay text: the service reads "1500,50"
and "1500.50" alike and says what it expects when it cannot.
"""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from budgets import explain
from budgets.models import Electorate, Rule, Secrecy, Theme, Threshold, VoteKind, Weighting, YesNo

MEMBER_NUMBER_MESSAGE = _("Fill in a member number: only digits, for example 12.")


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and sends dates as 2026-01-31 in every language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker (2026-01-31T20:00), usable without a script."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def amount_field(label, help_text=""):
    return forms.CharField(
        label=label,
        max_length=20,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": _("Fill in an amount.")},
    )


def member_number_field(label, help_text="", required=True):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=1,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": MEMBER_NUMBER_MESSAGE,
            "invalid": MEMBER_NUMBER_MESSAGE,
            "min_value": MEMBER_NUMBER_MESSAGE,
        },
    )


def stream_field(queryset):
    return forms.ModelChoiceField(
        label=_("Paid from"),
        queryset=queryset,
        required=False,
        empty_label=_("The reinvestment reserve"),
        error_messages={"invalid_choice": _("Choose a funding stream from the list.")},
    )


class ProposalForm(forms.Form):
    """Propose a project: what, how much, from which money, about what and where."""

    title = forms.CharField(label=_("Name of the project"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What is it, and who is it for?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences in plain words."),
    )
    amount = amount_field(_("How much money is needed (euros)?"), _("For example 1500 or 1500,50."))
    stream = None  # set in __init__
    theme = forms.ChoiceField(
        label=_("Theme"),
        choices=[("", _("Choose a theme"))] + list(Theme.choices),
        required=False,
    )
    place = forms.ModelChoiceField(
        label=_("Place (if any)"),
        queryset=None,
        required=False,
        empty_label=_("No particular place"),
        error_messages={"invalid_choice": _("Choose a place from the list.")},
    )
    working_group = forms.CharField(
        label=_("Working group (if any)"), max_length=200, required=False
    )

    def __init__(self, *args, streams, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stream"] = stream_field(streams)
        self.order_fields(["title", "description", "amount", "stream", "theme"])
        self.fields["place"].queryset = places


class CheckProposalForm(forms.Form):
    """The board's check: eligible, or refused with a reason the proposer reads."""

    eligible = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Can be voted on")), ("no", _("Not eligible"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the proposal can be voted on.")},
    )
    reason = forms.CharField(
        label=_("Reason (needed when not eligible)"), max_length=400, required=False
    )


class StreamForm(forms.Form):
    """A funder's commitment: who, how much, for when, for what, and on which conditions."""

    funder = forms.ModelChoiceField(
        label=_("Funder"),
        queryset=None,
        empty_label=_("Choose a partner organisation"),
        required=False,
        error_messages={"invalid_choice": _("Choose a partner organisation from the list.")},
    )
    name = forms.CharField(label=_("Name of the funding stream"), max_length=200, required=False)
    committed = amount_field(_("Amount committed (euros)"))
    starts_on = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        error_messages={"required": _("Fill in a date."), "invalid": _("Fill in a date.")},
    )
    ends_on = forms.DateField(
        label=_("Until"),
        widget=DateInput(),
        error_messages={"required": _("Fill in a date."), "invalid": _("Fill in a date.")},
    )
    earmark = forms.MultipleChoiceField(
        label=_("May only be spent on (leave empty: free to spend)"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose the themes from the list.")},
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reporting = forms.CharField(
        label=_("Reporting duties"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    payer_iban = forms.CharField(
        label=_("The funder's bank account (IBAN)"),
        help_text=_(
            "The account the funder pays from. Payments from it are then booked for this "
            "funding stream when bank statements are matched."
        ),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, funders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = funders


class ReceiptForm(forms.Form):
    """Money a funder sent for a stream, as it arrived on the bank account."""

    amount = amount_field(_("Amount received (euros)"))
    received_on = forms.DateField(
        label=_("Received on"),
        widget=DateInput(),
        error_messages={"required": _("Fill in a date."), "invalid": _("Fill in a date.")},
    )
    description = forms.CharField(label=_("Description (optional)"), max_length=400, required=False)


def _rule_choices():
    return [(rule, f"{label}: {explain.rule_explanation(rule)}") for rule, label in Rule.choices]


class VoteForm(forms.Form):
    """What the board puts to the members, and how it is counted. Everything is fixed once
    the vote opens."""

    title = forms.CharField(label=_("Question"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    kind = forms.ChoiceField(
        label=_("Kind of vote"),
        choices=VoteKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of vote.")},
    )
    proposals = forms.ModelMultipleChoiceField(
        label=_("Proposals"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A yes/no vote is about one proposal or none; a budget needs two or more."),
        error_messages={"invalid_choice": _("Choose proposals from the list.")},
    )
    stream = None  # set in __init__
    budget_limit = forms.CharField(
        label=_("Budget (euros, only for a participatory budget)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    rule = forms.ChoiceField(
        label=_("How the budget is counted"),
        choices=[],
        required=False,
        widget=forms.RadioSelect,
    )
    threshold = forms.ChoiceField(
        label=_("Majority needed (only for yes/no)"),
        choices=[("", _("Choose"))] + list(Threshold.choices),
        required=False,
    )
    electorate = forms.ChoiceField(
        label=_("Who may vote"),
        choices=Electorate.choices,
        error_messages={"required": _("Choose who may vote.")},
    )
    weighting = forms.ChoiceField(
        label=_("Weighting"),
        choices=Weighting.choices,
        error_messages={"required": _("Choose how votes are weighed.")},
    )
    secrecy = forms.ChoiceField(label=_("Secret or open"), choices=Secrecy.choices)
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        widget=DateTimeInput(),
        error_messages={
            "required": _("Fill in a date and time."),
            "invalid": _("Fill in a date and time."),
        },
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=DateTimeInput(),
        error_messages={
            "required": _("Fill in a date and time."),
            "invalid": _("Fill in a date and time."),
        },
    )
    quorum = forms.IntegerField(
        label=_("Quorum (percent of the votes that must take part)"),
        min_value=0,
        max_value=100,
        initial=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Fill in a quorum from 0 to 100 percent."),
            "invalid": _("Fill in a quorum from 0 to 100 percent."),
            "min_value": _("Fill in a quorum from 0 to 100 percent."),
            "max_value": _("Fill in a quorum from 0 to 100 percent."),
        },
    )

    def __init__(self, *args, proposals, streams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = proposals
        self.fields["proposals"].label_from_instance = explain.proposal_label
        self.fields["stream"] = stream_field(streams)
        self.fields["rule"].choices = _rule_choices()
        self.order_fields(["title", "description", "kind", "proposals", "stream"])


class BallotForm(forms.Form):
    """A ballot: yes, no or abstain; or, for a budget, the projects the voter supports. The
    budget ballot page draws its checkboxes itself, with each project's details."""

    def __init__(self, *args, vote, proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        if vote.kind == VoteKind.YES_NO:
            self.fields["choice"] = forms.ChoiceField(
                label=_("Your vote"),
                choices=YesNo.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose yes, no or abstain.")},
            )
        else:
            self.fields["approvals"] = forms.MultipleChoiceField(
                label=_("The projects you support"),
                choices=[(p.tally_id, p.title) for p in proposals],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": _("Choose projects from the list.")},
            )

    def ballot(self) -> dict:
        """The service's arguments for what was chosen."""
        if "choice" in self.fields:
            return {"choice": self.cleaned_data["choice"]}
        return {"approvals": list(self.cleaned_data["approvals"])}


class ProxyForm(forms.Form):
    """Whom I let vote for me: a voter's member number or full name."""

    to = forms.CharField(
        label=_("Member number or full name of the person who votes for you"),
        max_length=150,
        error_messages={"required": _("Fill in a member number or a name.")},
    )


class PaperBallotForm(BallotForm):
    """A ballot filled in on paper, entered by a coordinator for the member who filled it in."""

    member = member_number_field(_("Member number of the voter"))
    place = forms.ModelChoiceField(
        label=_("Place where the ballot was filled in"),
        queryset=None,
        empty_label=_("Choose a place"),
        required=False,
        error_messages={"invalid_choice": _("Choose a place from the list.")},
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.order_fields(["member", "place"])


class AgreementForm(forms.Form):
    """Who does what by when for an adopted proposal."""

    proposal = forms.ModelChoiceField(
        label=_("Adopted proposal"),
        queryset=None,
        empty_label=_("Choose a proposal"),
        error_messages={
            "required": _("Choose a proposal."),
            "invalid_choice": _("Choose a proposal from the list."),
        },
    )
    what = forms.CharField(label=_("What is to be done"), max_length=300, required=False)
    responsible = member_number_field(_("Who does it (member number)"))
    due_on = forms.DateField(
        label=_("By when"),
        widget=DateInput(),
        error_messages={"required": _("Fill in a date."), "invalid": _("Fill in a date.")},
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals
        self.fields["proposal"].label_from_instance = explain.proposal_label


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Fill in a year."), "invalid": _("Fill in a year.")},
    )


class BankAccountForm(forms.Form):
    """A bank account of the cooperative; the service checks the IBAN."""

    iban = forms.CharField(
        label=_("IBAN"),
        max_length=60,
        help_text=_("For example NL91 ABNA 0417 1643 00."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("For example Betaalrekening.")
    )


def statement_file_field(label=None, required=True):
    return forms.FileField(
        label=label or _("Statement file"),
        required=required,
        help_text=_(
            "A CAMT.053 file (.xml), an MT940 file (.sta, .940, .txt) or a CSV file (.csv) "
            "from your bank."
        ),
        error_messages={
            "required": _("Choose a file to import."),
            "empty": _("The file is empty."),
            "invalid": _("Choose a file to import."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.sta,.940,.txt,.csv"}),
    )


class StatementFileForm(forms.Form):
    """A statement file from the bank: CAMT.053 (XML), MT940 or CSV."""

    file = statement_file_field()


class CsvImportForm(forms.Form):
    """The second step for a CSV file: the bank account it comes from and the balance the bank
    shows after its last line. When the file could not be kept between the steps, it is asked
    for again."""

    bank_account = forms.ModelChoiceField(
        label=_("Bank account"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Choose a bank account."),
            "invalid_choice": _("Choose a bank account from the list."),
        },
    )
    closing_balance = forms.CharField(
        label=_("Balance after the last line"),
        required=False,
        max_length=20,
        help_text=_(
            "The balance your bank shows after the last line of this file, such as 1250,00 or "
            "-30,50. Leave it empty when the file has a balance column."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, accounts, *args, ask_file=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_account"].queryset = accounts
        self.fields["bank_account"].label_from_instance = lambda a: f"{a.name} ({a.iban})"
        if ask_file:
            self.fields["file"] = statement_file_field(_("The same file again"))


# A date format as the treasurer recognises it: the last day of 2026 written that way.
DATE_FORMAT_EXAMPLES = {
    "%d-%m-%Y": "31-12-2026",
    "%Y-%m-%d": "2026-12-31",
    "%d/%m/%Y": "31/12/2026",
    "%d.%m.%Y": "31.12.2026",
    "%Y%m%d": "20261231",
    "%d-%m-%y": "31-12-26",
}
CSV_COLUMN_FIELDS = (
    "booking_date", "amount", "direction", "debit", "credit", "value_date", "counterparty_name",
    "counterparty_iban", "end_to_end_id", "balance_after",
)  # fmt: skip


class CsvMappingForm(forms.Form):
    """Which column of the bank's CSV file holds what, offered from the file's header row, or,
    for a file without one, by number with what its first line holds. The service
    (save_csv_mapping) says when the choice cannot work, such as both an amount column and
    debit and credit columns."""

    booking_date = forms.ChoiceField(
        label=_("Booking date"), error_messages={"required": _("Choose the booking date column.")}
    )
    date_format = forms.ChoiceField(
        label=_("Dates are written as"),
        choices=list(DATE_FORMAT_EXAMPLES.items()),
        error_messages={"invalid_choice": _("Choose how dates are written from the list.")},
    )
    amount = forms.ChoiceField(
        label=_("Amount"),
        required=False,
        help_text=_("With a minus for money going out, or with a column that says Af or Bij."),
    )
    direction = forms.ChoiceField(label=_("Money in or out (Af/Bij)"), required=False)
    debit_marks = forms.CharField(
        label=_("Words for money going out"),
        max_length=100,
        help_text=_("Separated by commas, for example Af, D, Debit."),
        error_messages={"required": _("Give the words that mark money going out.")},
    )
    debit = forms.ChoiceField(
        label=_("Money out (debit)"),
        required=False,
        help_text=_("Only when the file has one column for money out and one for money in."),
    )
    credit = forms.ChoiceField(label=_("Money in (credit)"), required=False)
    decimal_comma = forms.BooleanField(
        label=_("Amounts are written with a decimal comma, such as 12,50"), required=False
    )
    value_date = forms.ChoiceField(label=_("Value date"), required=False)
    counterparty_name = forms.ChoiceField(label=_("Name of the other party"), required=False)
    counterparty_iban = forms.ChoiceField(label=_("Account of the other party"), required=False)
    remittance = forms.MultipleChoiceField(
        label=_("Description"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose columns from the list.")},
    )
    end_to_end_id = forms.ChoiceField(label=_("End-to-end reference"), required=False)
    balance_after = forms.ChoiceField(
        label=_("Balance after the line"),
        required=False,
        help_text=_("When the file has one, its balances are used and checked line by line."),
    )

    def __init__(self, header, *args, delimiter=";", has_header=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.delimiter = delimiter
        self.has_header = has_header
        if has_header:
            columns = [(name, name) for name in dict.fromkeys(header) if name]
        else:
            columns = [
                (str(index), _column_by_number(index, value)) for index, value in enumerate(header)
            ]
        for name in CSV_COLUMN_FIELDS:
            field = self.fields[name]
            field.choices = ([] if field.required else [("", _("Not in the file"))]) + columns
            field.error_messages["invalid_choice"] = _("Choose a column from the list.")
        self.fields["remittance"].choices = columns

    def mapping(self) -> dict:
        """The mapping as save_csv_mapping takes it."""
        data = self.cleaned_data
        column = str if self.has_header else int
        mapping = {name: column(data[name]) if data[name] else None for name in CSV_COLUMN_FIELDS}
        marks = [mark.strip() for mark in data["debit_marks"].split(",") if mark.strip()]
        return mapping | {
            "remittance": [column(each) for each in data["remittance"]],
            "debit_marks": marks,
            "date_format": data["date_format"],
            "decimal_comma": data["decimal_comma"],
            "delimiter": self.delimiter,
            "header": self.has_header,
        }

    @staticmethod
    def initial_from(mapping: dict) -> dict:
        """Initial values from a saved or guessed mapping; a column counted from 0 (in a
        file without a header row) as the text its choice has."""
        initial = {
            name: str(mapping[name])
            for name in CSV_COLUMN_FIELDS
            if mapping.get(name) not in (None, "")
        }
        remittance = mapping.get("remittance")
        remittance = [] if remittance in (None, "") else remittance
        remittance = remittance if isinstance(remittance, list) else [remittance]
        initial["remittance"] = [str(each) for each in remittance]
        initial["debit_marks"] = ", ".join(mapping.get("debit_marks") or ["Af", "D", "Debit"])
        initial["decimal_comma"] = mapping.get("decimal_comma", True)
        initial["date_format"] = mapping.get("date_format", "%d-%m-%Y")
        return initial


def _column_by_number(index: int, value: str) -> str:
    shown = value if len(value) <= 40 else value[:39] + "…"
    return _("Column %(number)s: %(value)s") % {"number": index + 1, "value": shown or "—"}


class LinkBankLineForm(forms.Form):
    """A bank line that is a booking made already (see selectors.bookings_for_line); the
    service (link_bank_line) checks the booking."""

    booking = forms.TypedChoiceField(
        label=_("The booking made already"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the booking."),
            "invalid_choice": _("Choose a booking from the list."),
        },
    )

    def __init__(self, bookings, *args, **kwargs):
        kwargs.setdefault("prefix", "link")
        super().__init__(*args, **kwargs)
        self.bookings = {booking.pk: booking for booking in bookings}
        self.fields["booking"].choices = [
            (
                booking.pk,
                f"{formats.date_format(booking.booking_date, 'DATE_FORMAT')}: "
                f"{booking.description}",
            )
            for booking in bookings
        ]

    def chosen(self):
        return self.bookings[self.cleaned_data["booking"]]


class BookBankLineForm(forms.Form):
    """A bank line that matched nothing, booked to one of the cooperative's accounts (see
    selectors.bookable_accounts); the service checks the rest."""

    account = forms.ModelChoiceField(
        label=_("Account in the books"),
        queryset=None,
        empty_label=_("Choose an account"),
        help_text=_("Money coming in is usually income; money going out is usually a cost."),
        error_messages={
            "required": _("Choose an account."),
            "invalid_choice": _("Choose an account from the list."),
        },
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        help_text=_("Without one, the booking is named after the date and the counterparty."),
    )

    def __init__(self, accounts, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
