from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rare.core.crypto import EncryptedTextField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who can sign in. Signs in with the email address; there are no user names."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    travel_mode = models.BooleanField(
        _("travel mode"),
        default=False,
        help_text=_("While on, restricted records are hidden from this account until lifted with a second factor."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name or self.email).split(" ")[0]


def hash_token(token: str) -> str:
    """The only form in which invitation tokens and session keys are stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use link that lets one person create an account. Nobody can sign up without one."""

    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    person = models.ForeignKey(
        "community.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("person"),
    )
    programme = models.ForeignKey(
        "programme.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("programme"),
    )
    role = models.CharField(_("role"), max_length=12, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account created"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["email"]), models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return self.email

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def role_label(self) -> str:
        from rare.programme.models import Membership

        return str(Membership.Role(self.role).label) if self.role in Membership.Role.values else self.role

    def audit_repr(self) -> str:
        return f"invitation #{self.pk}"

    @property
    def status(self) -> str:
        if self.is_used:
            return "used"
        if self.is_expired:
            return "expired"
        return "pending"


class MemberSession(models.Model):
    """One signed-in browser of a member, so that they can see and end their sessions.

    The session key is kept only as a hash (to find the row) and encrypted (to end the session in
    whichever session store is in use). Device and network are coarse on purpose.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_sessions")
    key_hash = models.CharField(max_length=64, unique=True)
    session_key = EncryptedTextField(_("session key"))
    created_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    device = models.CharField(_("device"), max_length=60, blank=True)
    network = models.CharField(_("network"), max_length=50, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = pgettext_lazy("sign-in", "session")
        verbose_name_plural = pgettext_lazy("sign-in", "sessions")
        indexes = [models.Index(fields=["user", "-last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.device} ({self.network})"


class KnownDevice(models.Model):
    """A (coarse device, network) pair an account signed in from, kept as a keyed hash only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_devices")
    fingerprint = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("known device")
        verbose_name_plural = _("known devices")
        constraints = [models.UniqueConstraint(fields=["user", "fingerprint"], name="known_device_unique")]

    def __str__(self) -> str:
        return self.fingerprint[:12]


class TOTPStep(models.Model):
    """The last 30-second step whose code an authenticator app was used with.

    A code is accepted only for a later step, so a code seen once (over a shoulder, in a proxy log)
    is useless afterwards, whichever server process or cache receives it.
    """

    authenticator = models.OneToOneField("mfa.Authenticator", on_delete=models.CASCADE, related_name="+")
    counter = models.BigIntegerField()

    class Meta:
        verbose_name = _("used authenticator code")
        verbose_name_plural = _("used authenticator codes")

    def __str__(self) -> str:
        return str(self.counter)
