from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from rare.alliance.models import WorkingGroup
from rare.core.visibility import Visibility
from rare.learning.library.models import Resource
from rare.learning.models import Competency
from rare.programme.camps import uploads
from rare.programme.models import Session


class LibraryFilter(forms.Form):
    q = forms.CharField(label=_("Title contains"), required=False, max_length=100)
    competency = forms.ModelChoiceField(label=_("Competency"), queryset=Competency.objects.none(), required=False)
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Files and links")), *Resource.Kind.choices], required=False
    )

    def __init__(self, *args, competencies, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competencies
        self.fields["competency"].empty_label = _("All competencies")
        self.fields["session"].queryset = sessions
        self.fields["session"].empty_label = _("All sessions")


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(label=_("Or a link"), required=False, assume_scheme="https", max_length=500)
    language = forms.CharField(label=_("Language"), required=False, max_length=10, help_text=_("e.g. en, de, hu"))
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies"), queryset=Competency.objects.none(), required=False
    )
    sessions = forms.ModelMultipleChoiceField(label=_("Sessions"), queryset=Session.objects.none(), required=False)
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=Visibility.choices, initial=Visibility.MEMBERS)
    groups = forms.ModelMultipleChoiceField(
        label=_("Working groups (for the level 'group')"), queryset=WorkingGroup.objects.none(), required=False
    )

    def __init__(self, *args, user=None, editing: Resource | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["competencies"].queryset = Competency.objects.select_related("programme").order_by(
            "programme", "position", "name"
        )
        self.fields["sessions"].queryset = Session.objects.select_related("camp").order_by("-starts_at", "pk")
        self.fields["sessions"].label_from_instance = lambda s: f"{s.camp.number}. {s.camp.title}: {s.title}"
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
        if "file" in self.errors:
            return cleaned
        has_file = bool(cleaned.get("file"))
        has_link = bool(cleaned.get("url"))
        keeps_file = self.editing is not None and bool(self.editing.file) and not has_link
        if has_file and has_link:
            raise ValidationError(_("Give either a file or a link, not both."), code="file_or_link")
        if not (has_file or has_link or keeps_file):
            raise ValidationError(_("Give a file or a link."), code="file_or_link")
        return cleaned
