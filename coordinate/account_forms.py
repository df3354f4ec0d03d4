"""Forms of the account pages: making an account from a link, asking for a password reset,
changing the address, deleting the account, asking to coordinate."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coordinate import accounts
from coordinate.models import CoordinatorRequest


class LoginForm(AuthenticationForm):
    """Accounts made here log in with their email address; older ones with their user name."""

    username = forms.CharField(
        label=_("Email address or user name"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def clean(self):
        typed = self.cleaned_data.get("username")
        if typed and "@" in typed:
            self.cleaned_data["username"] = accounts.login_name_for(typed)
        return super().clean()


class AccountCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("As students and other coordinators will see it."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class PasswordResetRequestForm(PasswordResetForm):
    """Django's form, whose save() hands the address to the service: the service limits and
    queues the email, and the page says the same whatever it found."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, **_options) -> None:
        accounts.password_reset_request(email=self.cleaned_data["email"])


class AccountLanguageForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language of your emails"),
        choices=settings.LANGUAGES,
        help_text=_("Password resets, address changes and invitations are written in it."),
    )


class PasswordCheckMixin:
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your current password."))
        return password


class EmailChangeForm(PasswordCheckMixin, forms.Form):
    new_email = forms.EmailField(
        label=_("New email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AccountDeleteForm(PasswordCheckMixin, forms.Form):
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CoordinatorRequestForm(forms.ModelForm):
    # Hidden from people (CSS and aria-hidden), as on the letter form: bots fill it.
    website = forms.CharField(required=False, label=_("Leave this empty"), max_length=200)

    class Meta:
        model = CoordinatorRequest
        fields = ["name", "school", "email", "reason"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "school": forms.TextInput(attrs={"autocomplete": "organization"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "reason": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "reason": _("A few words: your class or group, and the campaign you have in mind."),
            "email": _("Your school address helps us check who you are."),
        }

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Leave this field empty."))
        return ""
