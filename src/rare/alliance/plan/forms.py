from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rare.alliance.models import WorkingGroup
from rare.alliance.plan.models import Action, Campaign, CampaignOutput, Engagement, FollowUp, Meeting, Milestone
from rare.community.models import Contact, Institution, Organisation, Person
from rare.programme.camps import uploads

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActionForm(forms.ModelForm):
    """The team's form: everything about an action."""

    class Meta:
        model = Action
        fields = (
            "objective",
            "title",
            "description",
            "status",
            "progress",
            "due_date",
            "working_group",
            "owners",
            "depends_on",
            "visibility",
        )
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "due_date": DATE,
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = self.fields["objective"].queryset.select_related("priority")
        self.fields["owners"].queryset = Organisation.objects.order_by("name")
        self.fields["working_group"].queryset = WorkingGroup.objects.visible_to(user).order_by("name")
        others = Action.objects.visible_to(user).order_by("title")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = others


class OwnerActionForm(forms.ModelForm):
    """What the people of an owner organisation keep current: status, progress and description."""

    class Meta:
        model = Action
        fields = ("status", "progress", "description")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ("title", "due")
        widgets = {"due": DATE}


class MeetingForm(forms.ModelForm):
    online_url = forms.URLField(label=_("online meeting link"), required=False, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = ("title", "starts_at", "place", "online_url", "agenda", "notes")
        widgets = {
            "starts_at": DATETIME,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 6}),
        }


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = (
            "title",
            "slug",
            "goal",
            "asks",
            "status",
            "starts_on",
            "ends_on",
            "working_group",
            "organisations",
            "target_institutions",
            "target_contacts",
            "visibility",
        )
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "asks": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = WorkingGroup.objects.visible_to(user).order_by("name")
        self.fields["organisations"].queryset = Organisation.objects.order_by("name")
        self.fields["target_institutions"].queryset = Institution.objects.order_by("name")
        self.fields["target_contacts"].queryset = Contact.objects.select_related("institution").order_by("name")


class CampaignOutputForm(forms.ModelForm):
    url = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = CampaignOutput
        fields = ("kind", "title", "published_on", "url", "file")
        widgets = {"published_on": DATE}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            uploads.check_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if "file" in self.errors:
            return cleaned
        if bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError(_("Give either a file or a link, not both."), code="file_or_link")
        return cleaned


class EngagementForm(forms.ModelForm):
    class Meta:
        model = Engagement
        fields = (
            "kind",
            "title",
            "date",
            "institution",
            "contacts",
            "campaign",
            "participants",
            "organisations",
            "ask",
            "outcome",
            "visibility",
        )
        widgets = {
            "date": DATE,
            "ask": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.order_by("name")
        self.fields["contacts"].queryset = Contact.objects.select_related("institution").order_by("name")
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).order_by("title")
        self.fields["participants"].queryset = (
            Person.objects.filter(memberships__isnull=False).distinct().order_by("name")
        )
        self.fields["organisations"].queryset = Organisation.objects.order_by("name")


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ("what", "due", "owner")
        widgets = {"due": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(memberships__isnull=False).distinct().order_by("name")
