"""The form of a member's notification preferences."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from rare.core.models import NotificationPreference

Mode = NotificationPreference.Mode


def _alert_categories():
    from rare.solidarity.models import Alert

    return Alert.Category.choices


class PreferencesForm(forms.Form):
    alerts = forms.ChoiceField(
        label=_("Verified alerts"),
        choices=Mode.choices,
        widget=forms.RadioSelect,
        help_text=_("At once: an email as soon as an alert you may see is verified."),
    )
    alert_digest_categories = forms.MultipleChoiceField(
        label=_("Alerts of these categories go to the daily digest"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
        help_text=_("Even when you get other alerts at once."),
    )
    alert_digest_countries = forms.MultipleChoiceField(
        label=_("Alerts from these countries go to the daily digest"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        choices=[],
        help_text=_("Even when you get other alerts at once. Choose several with Ctrl or Cmd."),
    )
    follows = forms.ChoiceField(
        label=_("What you follow"),
        choices=Mode.choices,
        widget=forms.RadioSelect,
        help_text=_("Your working groups, the actions you own and the decisions you are asked to answer."),
    )
    language = forms.ChoiceField(label=_("Language of the emails"), required=False, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alert_digest_categories"].choices = _alert_categories()
        self.fields["alert_digest_countries"].choices = list(countries)
        self.fields["language"].choices = [("", _("The first language of my profile")), *settings.LANGUAGES]

    @classmethod
    def initial_for(cls, preference: NotificationPreference) -> dict:
        return {
            "alerts": preference.alerts,
            "follows": preference.follows,
            "alert_digest_categories": preference.alert_digest_categories or [],
            "alert_digest_countries": preference.alert_digest_countries or [],
            "language": preference.language,
        }
