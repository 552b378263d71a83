from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Theme(models.Model):
    """A portfolio theme or field of expertise (rule of law, civic space, migration, ...)."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Size(models.TextChoices):
        SMALL = "small", _("up to 10 staff")
        MEDIUM = "medium", _("11 to 50 staff")
        LARGE = "large", _("more than 50 staff")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=200)
    country = CountryField(_("country"), db_index=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="organisations", verbose_name=_("themes"))
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone in the network: a participant, an expert, a team member or a guest speaker.

    A person may have no account (a guest speaker); a member's account is linked through `user`.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=200)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role in the organisation"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("Language codes separated by commas, e.g. en,de,hu.")
    )
    expertise = models.ManyToManyField(Theme, blank=True, related_name="experts", verbose_name=_("expertise"))
    bio = models.TextField(_("biography"), blank=True)
    public_profile = models.BooleanField(
        _("public profile"),
        default=False,
        help_text=_("The person agreed to be shown on the public website."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # The directory lists people by name a page at a time: in this order a page reads its rows
        # from the index instead of sorting everyone (see `make bench`).
        indexes = [models.Index(fields=["name", "id"], name="person_by_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def language_codes(self) -> list[str]:
        return [c.strip() for c in self.languages.split(",") if c.strip()]


class Institution(models.Model):
    """A body that advocacy addresses: the European Parliament and its committees, Commission DGs, ..."""

    class Kind(models.TextChoices):
        EU_PARLIAMENT = "eu_parliament", _("European Parliament")
        EP_COMMITTEE = "ep_committee", _("European Parliament committee")
        COMMISSION_DG = "commission_dg", _("European Commission directorate-general")
        EU_COUNCIL = "eu_council", _("Council of the EU")
        EU_AGENCY = "eu_agency", _("EU agency")
        COUNCIL_OF_EUROPE = "coe", _("Council of Europe body")
        OSCE = "osce", _("OSCE / ODIHR")
        UN = "un", _("UN special procedure or body")
        NATIONAL_GOVERNMENT = "national_government", _("national government")
        NATIONAL_PARLIAMENT = "national_parliament", _("national parliament")
        EMBASSY = "embassy", _("embassy")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="parts", verbose_name=_("part of")
    )
    country = CountryField(_("country"), blank=True, db_index=True, help_text=_("For national bodies."))
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Contact(models.Model):
    """A person at an institution whom members address (an MEP, a desk officer, a rapporteur)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["institution", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class SearchDocument(models.Model):
    """The words the directory search reads for one person or one organisation, in three weighted parts.

    Rows are written by `rare.community.search` whenever a person, an organisation, their themes or their
    expertise change (signals), and rebuilt whole by `rare reindex`. Each database indexes them its own way:
    SQLite through an FTS5 table kept in step by triggers, PostgreSQL through `vector` (GIN-indexed).
    """

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="search_document"
    )
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="search_document"
    )
    title = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    body = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only; always empty on SQLite

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, organisation__isnull=True)
                | models.Q(person__isnull=True, organisation__isnull=False),
                name="community_searchdocument_one_subject",
            )
        ]

    def __str__(self) -> str:
        return self.title
