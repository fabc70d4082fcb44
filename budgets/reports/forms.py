"""The period a report covers, read from the query string of a page or of the API.

The fields are named `from` and `to`, as people say it and as the URL shows it; `period` (a
preset, such as `last_month`) comes from the links above the form and is not a field of its own.
The rules of a period live in budgets/reports/periods.py; the form only parses and reports.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets.forms import DateInput
from budgets.models import FundingStream
from budgets.reports import periods
from wijkbv.errors import DomainError

DATE_MESSAGE = _("This is not a date. Write it as year-month-day, such as 2026-03-31.")


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_MESSAGE},
    )


class PeriodForm(forms.BaseForm):
    """From and to; `period` in the same data names a preset instead. Once valid,
    `cleaned_data["period"]` is the `periods.Period` asked for."""

    # Declared here rather than as class attributes: `from` is a word Python keeps for itself.
    base_fields = {"from": _date_field(_("From")), "to": _date_field(_("To"))}

    def __init__(self, data, *, cooperative, **options):
        super().__init__(data, **options)
        self.cooperative = cooperative
        self.refused = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            cleaned["period"] = periods.period(
                name=str(self.data.get("period") or ""),
                start=cleaned.get("from"),
                end=cleaned.get("to"),
                today=timezone.localdate(),
            )
        except DomainError as refused:
            self.refused = refused
            field = refused.field if refused.field in self.fields else None
            self.add_error(field, forms.ValidationError(refused.message, code=refused.code))
        return cleaned

    def refusal(self) -> DomainError:
        """The first problem of an invalid form, as the API answers it."""
        if self.refused is not None:
            return self.refused
        for field, errors in self.errors.as_data().items():
            error = errors[0]
            message = error.message % error.params if error.params else error.message
            return DomainError(
                message,
                field=None if field == forms.forms.NON_FIELD_ERRORS else field,
                code=error.code or "invalid",
            )
        raise ValueError("the form has no errors")


class StreamReportForm(PeriodForm):
    """A period, and optionally one funding stream of the cooperative."""

    base_fields = PeriodForm.base_fields | {
        "stream": forms.ModelChoiceField(
            label=_("Funding stream"),
            queryset=FundingStream.objects.none(),
            required=False,
            empty_label=_("All funding streams"),
            error_messages={"invalid_choice": _("There is no such funding stream.")},
        )
    }

    def __init__(self, data, *, cooperative, **options):
        super().__init__(data, cooperative=cooperative, **options)
        self.fields["stream"].queryset = FundingStream.objects.filter(
            cooperative=cooperative
        ).order_by("name")
