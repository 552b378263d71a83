from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from rare.alliance.models import WorkingGroup
from rare.core.visibility import Visibility
from rare.programme.camps import uploads
from rare.programme.models import Session


class SessionKindFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of session"),
        required=False,
        choices=[("", _("All kinds")), *Session.Kind.choices],
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), required=False)
    link = forms.URLField(label=_("Or a link"), required=False, assume_scheme="https")
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=Visibility.choices, initial=Visibility.MEMBERS)
    groups = forms.ModelMultipleChoiceField(
        label=_("Working groups (for the level 'group')"),
        queryset=WorkingGroup.objects.none(),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the groups the uploader may see are offered (a restricted group's name is confidential too).
        self.fields["groups"].queryset = WorkingGroup.objects.visible_to(user).order_by("name")
        self.fields["file"].help_text = _("Up to %(limit)s. Types: %(types)s.") % {
            "limit": filesizeformat(settings.RARE_MAX_UPLOAD_BYTES),
            "types": uploads.allowed_list(),
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{e}" for e in uploads.ALLOWED)
        self.checked: tuple[bytes, str] | None = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked = uploads.check_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file"))
        has_link = bool(cleaned.get("link"))
        if "file" in self.errors:
            return cleaned
        if has_file == has_link:
            raise ValidationError(_("Give either a file or a link, not both."), code="file_or_link")
        return cleaned
