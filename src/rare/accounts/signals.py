"""What happens around sign-in, sign-out and changes to an account's credentials.

Connected in AccountsConfig.ready(). Every handler writes the audit trail; changes of password or
second factor end the account's other sessions, and disabling an account ends all of them.
"""

from __future__ import annotations

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils.crypto import salted_hmac

from rare.accounts import services
from rare.accounts.models import MemberSession, User, hash_token
from rare.core.audit import record


@receiver(user_logged_in, dispatch_uid="rare.accounts.logged_in")
def on_logged_in(sender, request, user, **kwargs):
    if request is None:
        return
    services.start_session(request=request, user=user)
    record("auth.login", actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="rare.accounts.logged_out")
def on_logged_out(sender, request, user, **kwargs):
    if request is None or user is None:
        return
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        MemberSession.objects.filter(user=user, key_hash=hash_token(session.session_key)).delete()
        known = session.get(services.RECORD_KEY)
        if known:
            MemberSession.objects.filter(user=user, key_hash=known).delete()
    record("auth.logout", actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="rare.accounts.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    """A failed password sign-in: never the password, never the typed login name.

    For a member's account the entry points at the account (which erasure pseudonymises). For an
    unknown name only a keyed hash is kept, to spot repeated guessing; it cannot be recomputed from
    a guessed email without the server's secret key.
    """
    login = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    target = get_user_model().objects.filter(email__iexact=login).first() if login else None
    details = {}
    if target is None and login:
        details["login_hash"] = salted_hmac("rare.accounts.login_failed", login).hexdigest()[:16]
    record("auth.login_failed", request=request, target=target, outcome="failed", **details)


@receiver(mfa_signals.authentication_failed, dispatch_uid="rare.accounts.mfa_failed")
def on_mfa_failed(sender, request, user, **kwargs):
    record("auth.login_failed", request=request, target=user, outcome="failed", step="mfa")


@receiver(account_signals.password_changed, dispatch_uid="rare.accounts.password_changed")
@receiver(account_signals.password_set, dispatch_uid="rare.accounts.password_set")
def on_password_changed(sender, request, user, **kwargs):
    record("password.changed", actor=user, request=request)
    services.end_other_sessions(user=user, request=request, reason="password.changed")


@receiver(account_signals.password_reset, dispatch_uid="rare.accounts.password_reset")
def on_password_reset(sender, request, user, **kwargs):
    record("password.changed", actor=user, request=request, by="reset")
    services.end_all_sessions(user=user, request=request, reason="password.reset")


@receiver(account_signals.email_changed, dispatch_uid="rare.accounts.email_changed")
def on_email_changed(sender, request, user, **kwargs):
    record("email.changed", actor=user, request=request)


@receiver(mfa_signals.authenticator_added, dispatch_uid="rare.accounts.mfa_added")
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        record("mfa.recovery_codes_generated", actor=user, request=request)
    else:
        record("mfa.added", actor=user, request=request, type=authenticator.type)
    services.end_other_sessions(user=user, request=request, reason="mfa.added")


@receiver(mfa_signals.authenticator_reset, dispatch_uid="rare.accounts.mfa_reset")
def on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    record("mfa.recovery_codes_generated", actor=user, request=request)
    services.end_other_sessions(user=user, request=request, reason="mfa.recovery_codes_generated")


@receiver(mfa_signals.authenticator_removed, dispatch_uid="rare.accounts.mfa_removed")
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    record("mfa.removed", actor=user, request=request, type=authenticator.type)
    services.end_other_sessions(user=user, request=request, reason="mfa.removed")


@receiver(pre_save, sender=User, dispatch_uid="rare.accounts.user_pre_save")
def note_disabling(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    instance._rare_disabling = sender.objects.filter(pk=instance.pk, is_active=True).exists()


@receiver(post_save, sender=User, dispatch_uid="rare.accounts.user_post_save")
def end_sessions_of_disabled(sender, instance, raw=False, **kwargs):
    if raw or not getattr(instance, "_rare_disabling", False):
        return
    instance._rare_disabling = False
    services.account_was_disabled(user=instance)
