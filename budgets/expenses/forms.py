"""Forms for expenses, advances and payments: they only parse and report; the rules live in
budgets/services.py. Field names are the services' argument names, so a refusal about
`payee_iban` or `receipt` lands under that field. Amounts stay text: the service reads "45,50"
and "45.50" alike."""

from django import forms
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from budgets.expenses.selectors import project_title
from budgets.forms import DateInput, amount_field

RECEIPT_TYPES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
# receipts.MAX_BYTES, said in words.
RECEIPT_HELP = _("A photo (JPEG or PNG) or a PDF, at most 10 MB.")
IBAN_HELP = _("The account the money goes to, for example NL91 ABNA 0417 1643 00.")


def budget_field():
    field = forms.ModelChoiceField(
        label=_("Project"),
        queryset=None,
        empty_label=_("Choose a project"),
        error_messages={
            "required": _("Choose a project."),
            "invalid_choice": _("Choose a project from the list."),
        },
    )
    field.label_from_instance = project_title
    return field


def iban_field(label=None):
    return forms.CharField(
        label=label or _("IBAN"),
        max_length=60,
        help_text=IBAN_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Fill in an IBAN.")},
    )


def date_field(label):
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"required": _("Fill in a date."), "invalid": _("Fill in a date.")},
    )


class ReceiptInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ExpenseForm(forms.Form):
    """A member's claim: what was spent, on which project, the receipt and their IBAN."""

    budget = budget_field()
    amount = amount_field(_("Amount"), _("For example 45,50."))
    description = forms.CharField(
        label=_("What did you buy?"),
        max_length=300,
        error_messages={"required": _("Say what the money was spent on.")},
    )
    spent_on = date_field(_("Date on the receipt"))
    receipt = forms.FileField(
        label=_("Photo or PDF of the receipt"),
        help_text=RECEIPT_HELP,
        error_messages={
            "required": _("Add a photo or PDF of the receipt."),
            "empty": _("Add a photo or PDF of the receipt."),
            "invalid": _("Add a photo or PDF of the receipt."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": RECEIPT_TYPES}),
    )
    payee_iban = iban_field(_("Your IBAN"))

    def __init__(self, *args, budgets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = budgets


class InvoiceForm(ExpenseForm):
    """A supplier's invoice, entered by the treasurer, a board member or a coordinator."""

    supplier_name = forms.CharField(
        label=_("Supplier"),
        max_length=70,
        error_messages={"required": _("Fill in the name of the supplier.")},
    )

    field_order = ["supplier_name", "budget", "amount", "description", "spent_on", "receipt"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].label = _("What is the invoice for?")
        self.fields["spent_on"].label = _("Date of the invoice")
        self.fields["receipt"].label = _("Invoice")
        self.fields["payee_iban"].label = _("The supplier's IBAN")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you reject it?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write down why, so the person who asked can read it.")},
    )


class AdvanceForm(forms.Form):
    budget = budget_field()
    amount = amount_field(_("Amount"), _("For example 100 or 75,50."))
    purpose = forms.CharField(
        label=_("What will you buy?"),
        max_length=300,
        error_messages={"required": _("Say what you will buy with the advance.")},
    )
    payee_iban = iban_field(_("Your IBAN"))

    def __init__(self, *args, budgets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = budgets


class ReceiptsField(forms.FileField):
    """One or more files; none is allowed (nothing spent)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", ReceiptInput(attrs={"accept": RECEIPT_TYPES}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(ReceiptsField, self).clean(each, initial) for each in data if each]
        return [super().clean(data, initial)] if data else []


class SettleForm(forms.Form):
    spent = amount_field(
        _("How much did you spend?"), _("Fill in 0 if you spent nothing and return it all.")
    )
    receipts = ReceiptsField(
        label=_("Receipts"),
        required=False,
        help_text=_(
            "Choose all receipts at once: photos (JPEG or PNG) or PDFs, at most 10 MB each."
        ),
        error_messages={"invalid": _("Add a photo or PDF of each receipt.")},
    )


class ReturnForm(forms.Form):
    received_on = date_field(_("Returned on"))


class BatchForm(forms.Form):
    bank_account = forms.ModelChoiceField(
        label=_("Pay from"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Choose a bank account."),
            "invalid_choice": _("Choose a bank account from the list."),
        },
    )
    expenses = forms.ModelMultipleChoiceField(
        label=_("Expenses"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose expenses from the list.")},
    )
    advances = forms.ModelMultipleChoiceField(
        label=_("Advances"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose advances from the list.")},
    )
    execution_date = date_field(_("Pay on"))

    def __init__(self, *args, bank_accounts, expenses, advances, payable, **kwargs):
        """`expenses` and `advances` are all the cooperative's, so that choosing one that
        cannot be paid reaches the service, which says why; only the `payable` ones (a pair of
        lists) are offered."""
        super().__init__(*args, **kwargs)
        self.fields["bank_account"].queryset = bank_accounts
        self.fields["expenses"].queryset = expenses
        self.fields["advances"].queryset = advances
        payable_expenses, payable_advances = payable
        self.fields["expenses"].widget.choices = [
            (item.pk, _expense_label(item)) for item in payable_expenses
        ]
        self.fields["advances"].widget.choices = [
            (item.pk, _advance_label(item)) for item in payable_advances
        ]
        self.has_payable = bool(payable_expenses or payable_advances)


def _expense_label(expense) -> str:
    return _("Expense %(number)s · %(amount)s · %(project)s · %(what)s") % {
        "number": expense.number,
        "amount": Money(expense.amount, expense.currency),
        "project": project_title(expense.budget),
        "what": expense.description,
    }


def _advance_label(advance) -> str:
    return _("Advance %(number)s · %(amount)s · %(project)s · %(what)s") % {
        "number": advance.number,
        "amount": Money(advance.amount, advance.currency),
        "project": project_title(advance.budget),
        "what": advance.purpose,
    }
