"""Forms only parse and report; the rules live in reciprocity/services.py.

Field names are those of the services' arguments, so that a refusal about `hours` or `date`
lands under that field on the page.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from reciprocity.models import Beneficiary, ContributionKind

HOURS_INITIAL = "1"
# Quarter hours up to a long day's work; more than that is rare enough to log in two parts.
HOURS_LONGEST = 12


def _hours_value(quarters: int) -> str:
    """The option's value: 0.25, 0.5, 1, 1.75 (what the service reads)."""
    return format((Decimal(quarters) / 4).normalize(), "f")


def _hours_label(quarters: int) -> str:
    """What the person reads: hours and minutes, 0:15, 1:00, 2:30."""
    return f"{quarters // 4}:{quarters % 4 * 15:02d}"


HOUR_CHOICES = [(_hours_value(q), _hours_label(q)) for q in range(1, HOURS_LONGEST * 4 + 1)]

MEMBER_NUMBER_MESSAGE = _("Fill in a member number: only digits, for example 12.")


# The site's stylesheet sizes text fields and selects; a date field gets the same big target.
DATE_STYLE = (
    "font: inherit; padding: 0.5rem; min-height: 44px; border: 2px solid #4a5260; "
    "border-radius: 4px; background: #fff; color: #1b1f24;"
)


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and sends dates as 2026-01-31 in every language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__({"style": DATE_STYLE} | (attrs or {}), format="%Y-%m-%d")


def member_number_field(label, help_text=""):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": MEMBER_NUMBER_MESSAGE, "min_value": MEMBER_NUMBER_MESSAGE},
    )


class LogForm(forms.Form):
    """Three fields for the common case (activity, how long, when); the rest is optional.

    An activity or place that came with the link (a QR code at a place) is fixed: its field is
    hidden and the page names it."""

    contributor = member_number_field(
        _("On behalf of (member number)"),
        _("Only for coordinators: leave empty to log your own time."),
    )
    activity = forms.ModelChoiceField(
        label=_("What did you do?"),
        queryset=None,
        empty_label=_("Choose an activity"),
        error_messages={
            "required": _("Choose what you did."),
            "invalid_choice": _("Choose one of the activities in the list."),
        },
    )
    hours = forms.DecimalField(
        label=_("How long? (hours:minutes)"),
        widget=forms.Select(choices=HOUR_CHOICES),
        error_messages={
            "required": _("Choose how long it took."),
            "invalid": _("Fill in the hours as a number, in quarter hours: for example 1.5."),
        },
    )
    date = forms.DateField(
        label=_("When?"),
        widget=DateInput,
        error_messages={
            "required": _("Fill in the date."),
            "invalid": _("Fill in a date, for example 31-01-2026."),
        },
    )
    place = forms.ModelChoiceField(
        label=_("Where?"),
        queryset=None,
        required=False,
        empty_label=_("No particular place"),
        error_messages={"invalid_choice": _("Choose one of the places in the list.")},
    )
    beneficiary = forms.ChoiceField(
        label=_("For whom?"),
        choices=Beneficiary.choices,
        initial=Beneficiary.NEIGHBOURHOOD,
        required=False,
    )
    beneficiary_member = member_number_field(
        _("Member number of the neighbour you helped"),
        _("Only when it was for a member. They confirm it."),
    )
    beneficiary_partner = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("No organisation"),
        help_text=_("Only when it was for an organisation."),
        error_messages={"invalid_choice": _("Choose one of the organisations in the list.")},
    )
    kind = forms.ChoiceField(
        label=_("What did you give?"),
        choices=ContributionKind.choices,
        initial=ContributionKind.TIME,
        required=False,
    )
    amount = forms.DecimalField(
        label=_("Amount in euros"),
        required=False,
        help_text=_("Only for a gift of money, for example 12.50."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        localize=True,
        error_messages={"invalid": _("Fill in the amount in euros and cents, for example 12.50.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    # The fields inside "More details".
    DETAILS = ("place", "beneficiary", "beneficiary_member", "beneficiary_partner", "kind")
    DETAILS += ("amount", "note")

    def __init__(self, *args, activities, places, partners, acts_for_others, fixed=None, **kw):
        super().__init__(*args, **kw)
        self.fields["activity"].queryset = activities
        self.fields["place"].queryset = places
        self.fields["beneficiary_partner"].queryset = partners
        if not acts_for_others:
            # Still parsed, so that the service (not silence) answers someone who sends it.
            self.fields["contributor"].widget = forms.HiddenInput()
        for name, value in (fixed or {}).items():
            self.fields[name].widget = forms.HiddenInput()
            self.fields[name].initial = value.pk

    def clean_beneficiary(self):
        return self.cleaned_data["beneficiary"] or Beneficiary.NEIGHBOURHOOD

    def clean_kind(self):
        return self.cleaned_data["kind"] or ContributionKind.TIME

    def details_open(self) -> bool:
        """Show the optional details when something in them needs attention or was filled."""
        if not self.is_bound:
            return False
        if any(self.errors.get(name) for name in self.DETAILS):
            return True
        return any(
            self.data.get(name) not in (None, "", self.fields[name].initial)
            for name in ("beneficiary", "beneficiary_member", "kind", "amount", "note")
        )

    def hidden_errors(self) -> list:
        return [error for field in self.hidden_fields() for error in field.errors]


class DecisionForm(forms.Form):
    """Confirming needs nothing; declining needs a reason the contributor reads."""

    reason = forms.CharField(
        label=_("Why do you decline this?"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The person who logged it reads this."),
    )
    # Which page to return to; anything else than the coordinators' page means "my time".
    back = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_back(self):
        return "coordinate" if self.cleaned_data["back"] == "coordinate" else "home"


class ThankYouWallForm(forms.Form):
    display_name = forms.CharField(
        label=_("Name on the thank-you wall"),
        max_length=59,
        help_text=_("For example your first name. Everybody can read this page."),
        error_messages={"required": _("Fill in the name you want to show.")},
    )


class ActivityForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        error_messages={"required": _("Fill in a name.")},
    )
    description = forms.CharField(label=_("Description (optional)"), max_length=200, required=False)


class ActivityChangeForm(ActivityForm):
    is_active = forms.BooleanField(label=_("In use"), required=False)


class QrForm(forms.Form):
    """Which codes to print: one per place, or one per place and activity."""

    places = forms.ModelMultipleChoiceField(
        label=_("Places"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    activities = forms.ModelMultipleChoiceField(
        label=_("Activities"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose none to let people choose the activity themselves."),
    )

    def __init__(self, *args, places, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = places
        self.fields["activities"].queryset = activities


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
