"""Forms of the closing pages: they only parse and report; closing is the ledger's service."""

import calendar
import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from budgets.forms import DateInput

MONTH = "month"
YEAR = "year"
YEAR_MESSAGE = _("Fill in a year, for example 2026.")


def _year_field(**options):
    return forms.IntegerField(
        label=_("Year"),
        min_value=1901,
        max_value=2999,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": YEAR_MESSAGE,
            "invalid": YEAR_MESSAGE,
            "min_value": YEAR_MESSAGE,
            "max_value": YEAR_MESSAGE,
        },
        **options,
    )


class PeriodForm(forms.Form):
    """A month or a year to close, up to and including its last day."""

    kind = forms.ChoiceField(
        label=_("Close"),
        choices=[(MONTH, _("a month")), (YEAR, _("a whole year"))],
        error_messages={"required": _("Choose a month or a year.")},
    )
    year = _year_field()
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Only when you close a month."),
        error_messages={"invalid_choice": _("Choose a month from the list.")},
    )

    # The check and the close form share a page: each has its own ids.
    ids = "check_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.ids)
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", "—")] + [
            (number, formats.date_format(datetime.date(2000, number, 1), "F"))
            for number in range(1, 13)
        ]

    def clean(self):
        data = super().clean()
        if data.get("kind") == MONTH and data.get("month") is None and "month" not in self.errors:
            self.add_error("month", _("Choose the month to close."))
        return data

    @property
    def until(self) -> datetime.date:
        """The last day of the chosen period (the form must be valid)."""
        year = self.cleaned_data["year"]
        if self.cleaned_data["kind"] == YEAR:
            return datetime.date(year, 12, 31)
        month = self.cleaned_data["month"]
        return datetime.date(year, month, calendar.monthrange(year, month)[1])


class CloseForm(PeriodForm):
    """The period again, with the tick that says the treasurer knows what is still open."""

    ids = "close_%s"

    confirm = forms.BooleanField(
        label=_("I know that bank lines or differences of this period are still open."),
        required=False,
    )


class AsOfForm(forms.Form):
    """The date a reconciliation is made for: a date, or the end of a closed period."""

    on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Fill in a date as 2026-01-31.")},
    )
    period = forms.TypedChoiceField(
        label=_("Or the end of a closed period"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a closed period from the list.")},
    )

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {period.pk: period for period in periods}
        self.fields["period"].choices = [("", "—")] + [
            (period.pk, formats.date_format(period.until, "DATE_FORMAT"))
            for period in self.periods.values()
        ]

    def as_of(self, today: datetime.date) -> datetime.date:
        """The date asked for (the form must be valid): a period's end wins, then the date."""
        if self.cleaned_data.get("period"):
            return self.periods[self.cleaned_data["period"]].until
        return self.cleaned_data.get("on") or today


class AuditFileForm(forms.Form):
    year = _year_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "audit_%s")
        super().__init__(*args, **kwargs)
