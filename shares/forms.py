"""Forms only parse and report; the rules live in shares/services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shares.models import PaymentMethod

COUNT_MESSAGE = _("Fill in a whole number of shares: 1 or more, no fractions.")
COUNT_ERRORS = {
    "required": COUNT_MESSAGE,
    "invalid": COUNT_MESSAGE,
    "min_value": COUNT_MESSAGE,
    "max_value": _("That is more shares than the cooperative could ever issue."),
}


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and sends dates as 2026-01-31 in every language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def count_field(label=None):
    return forms.IntegerField(
        label=label or _("Number of shares"),
        min_value=1,
        max_value=1_000_000,
        error_messages=COUNT_ERRORS,
    )


class ClassChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, share_class):
        return _("%(code)s · %(name)s (%(value)s a share)") % {
            "code": share_class.code,
            "name": share_class.name,
            "value": share_class.nominal_value,
        }


class SubscribeForm(forms.Form):
    share_class = ClassChoiceField(label=_("Class of shares"), queryset=None, empty_label=None)
    count = count_field()
    method = forms.ChoiceField(
        label=_("How do you want to pay?"),
        choices=[(PaymentMethod.BANK, PaymentMethod.BANK.label)],
        initial=PaymentMethod.BANK,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, classes, online=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share_class"].queryset = classes
        if online:
            self.fields["method"].choices = [
                (PaymentMethod.STRIPE, PaymentMethod.STRIPE.label),
                (PaymentMethod.BANK, PaymentMethod.BANK.label),
            ]


class ShareClassForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=10, help_text=_("For example A or B."))
    name = forms.CharField(label=_("Name"), max_length=100)
    nominal_value = forms.DecimalField(
        label=_("Nominal value of one share (euros)"),
        min_value=0,
        max_digits=9,
        decimal_places=2,
    )
    authorised_shares = count_field(_("Authorised number of shares"))
    votes_per_share = forms.IntegerField(label=_("Votes per share"), min_value=0, initial=1)
    max_per_member = forms.IntegerField(
        label=_("Most shares of this class one member may hold"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    is_transferable = forms.BooleanField(label=_("Members may transfer them"), required=False)
    requires_board_approval = forms.BooleanField(
        label=_("The board approves every issue and transfer"), required=False, initial=True
    )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Date the money arrived"), widget=DateInput)


class DeedForm(forms.Form):
    deed_date = forms.DateField(label=_("Date of the notarial deed"), widget=DateInput)
    notary = forms.CharField(label=_("Notary"), max_length=150)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class IssueForm(forms.Form):
    issued_on = forms.DateField(label=_("Date of issue"), widget=DateInput)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False)


class MemberSharesForm(forms.Form):
    """Which member's shares, of which class, how many: for buying back and giving back."""

    member_number = forms.IntegerField(label=_("Member number"), min_value=1)
    share_class = ClassChoiceField(label=_("Class of shares"), queryset=None, empty_label=None)
    count = count_field()
    on_date = forms.DateField(label=_("Date"), widget=DateInput)

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share_class"].queryset = classes


class TransferForm(DeedForm):
    from_member_number = forms.IntegerField(label=_("From member number"), min_value=1)
    to_member_number = forms.IntegerField(label=_("To member number"), min_value=1)
    share_class = ClassChoiceField(label=_("Class of shares"), queryset=None, empty_label=None)
    count = count_field()
    transferred_on = forms.DateField(label=_("Date of the transfer"), widget=DateInput)
    field_order = [
        "from_member_number",
        "to_member_number",
        "share_class",
        "count",
        "transferred_on",
        "deed_date",
        "notary",
    ]

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share_class"].queryset = classes


class AskTransferForm(forms.Form):
    """A member asks the board to transfer some of their shares to another member."""

    share_class = ClassChoiceField(label=_("Class of shares"), queryset=None, empty_label=None)
    count = count_field()
    to_member_number = forms.IntegerField(
        label=_("Member number of the new holder"),
        min_value=1,
        help_text=_("Ask them for their member number: it is on their profile page."),
    )
    note = forms.CharField(
        label=_("Note for the board (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share_class"].queryset = classes


class CarryOutTransferForm(DeedForm):
    transferred_on = forms.DateField(label=_("Date of the transfer"), widget=DateInput)
    field_order = ["transferred_on", "deed_date", "notary"]


class RegisterDateForm(forms.Form):
    at = forms.DateField(label=_("As of"), widget=DateInput, required=False)
