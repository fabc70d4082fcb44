"""Forms only parse and report; the rules live in members/services.py."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from members.models import PlaceKind, Role, Sector, VotingMode


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "This e-mail address and password do not match. Check both and try again."
        ),
        "inactive": _("This account is not active."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
        help_text=_("Six digits. A new code appears every 30 seconds."),
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    street_address = forms.CharField(
        label=_("Street and house number"), max_length=200, required=False
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=_("Town or city"), max_length=100, required=False)


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )


class RegisterResidentForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("Leave empty if the resident has no e-mail address."),
    )
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    street_address = forms.CharField(
        label=_("Street and house number"), max_length=200, required=False
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=_("Town or city"), max_length=100, required=False)


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )


class InvitationForm(RolesForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("Optional. You can also give the link on paper or by phone."),
    )
    field_order = ["email", "roles"]


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlaceKind.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    description = forms.CharField(label=_("What they do"), max_length=200, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class CooperativeSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kvk_number = forms.CharField(
        label=_("KvK number"), max_length=20, required=False, help_text=_("8 digits.")
    )
    area_postcodes = forms.CharField(
        label=_("Postcodes of the neighbourhood"),
        required=False,
        help_text=_("Separate them with commas, for example: 2532, 2533 AB."),
    )
    voting_mode = forms.ChoiceField(label=_("How members vote"), choices=VotingMode.choices)
    max_shares_per_member = forms.IntegerField(
        label=_("Most shares one member may hold"), required=False, min_value=1
    )
    max_votes_per_member = forms.IntegerField(
        label=_("Most votes one member may cast"), required=False, min_value=1
    )
    social_value_hourly_rate = forms.DecimalField(
        label=_("Social value of an hour of help (euros)"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text=_("Only used for an estimate in reports. Time is never paid out."),
    )
    reinvestment_rule = forms.CharField(
        label=_("How profit is reinvested"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def initial_for(cls, cooperative):
        initial = {field: getattr(cooperative, field) for field in cls.base_fields}
        initial["area_postcodes"] = ", ".join(cooperative.area_postcodes)
        initial["social_value_hourly_rate"] = cooperative.social_value_hourly_rate.amount
        return initial


class ForgetMyselfForm(forms.Form):
    """The person types their own e-mail address (or, without one, the word asked for) to show
    they mean it: forgetting cannot be undone."""

    confirmation = forms.CharField(label=_("Type your e-mail address"), max_length=254)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = (user.email or "").lower()
        if not self.expected:
            self.expected = str(_("forget me")).lower()
            self.fields["confirmation"].label = _("Type the words: forget me")

    def clean_confirmation(self):
        typed = self.cleaned_data["confirmation"].strip().lower()
        if typed != self.expected:
            raise forms.ValidationError(_("This is not what was asked. Nothing has been erased."))
        return typed


class ForgetMemberForm(forms.Form):
    """A board member types the member number again, so they cannot forget the wrong person by
    a slip of the finger."""

    confirmation = forms.IntegerField(label=_("Type the member number to confirm"), min_value=1)
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=200,
        help_text=_("For example: asked for it at the desk. Do not write a name."),
    )

    def __init__(self, *args, member_number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.member_number = member_number

    def clean_confirmation(self):
        typed = self.cleaned_data["confirmation"]
        if typed != self.member_number:
            raise forms.ValidationError(
                _("This is not the member number of this person. Nothing has been erased.")
            )
        return typed
