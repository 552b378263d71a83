import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from rare.core import audit
from rare.core.models import AuditEntry, AuditEntryImmutable
from tests.factories import CampFactory, UserFactory

pytestmark = pytest.mark.django_db

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _request(user=None, *, ip="203.0.113.77", agent=FIREFOX_LINUX):
    request = RequestFactory().get("/", REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    if user is not None:
        request.user = user
    return request


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_record_links_actor_target_and_coarse_client():
    user = UserFactory()
    camp = CampFactory()

    audit.record("record.viewed", request=_request(user), target=camp, section="agenda")

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.outcome) == ("record.viewed", user, "ok")
    assert entry.actor_label == audit.actor_pseudonym(user)
    assert entry.actor_label.startswith("member-")
    assert user.email not in entry.actor_label
    assert (entry.target_type.model, entry.target_id, entry.target_repr) == ("camp", str(camp.pk), f"camp #{camp.pk}")
    assert (entry.network, entry.client) == ("203.0.113.0/24", "Firefox on Linux")
    assert entry.details == {"section": "agenda"}


def test_record_keeps_no_raw_address_or_user_agent():
    audit.record("auth.login_failed", request=_request(ip="2001:db8:abcd:12:1:2:3:4", agent=SAFARI_IPHONE))

    entry = AuditEntry.objects.get()
    assert (entry.network, entry.client, entry.actor) == ("2001:db8:abcd::/48", "Safari on iOS", None)
    stored = AuditEntry.objects.values_list("network", "client", "details").get()
    assert "1:2:3:4" not in str(stored)
    assert "Mobile/15E148" not in str(stored)


def test_record_drops_secrets_and_cuts_long_values():
    audit.record(
        "auth.login_failed",
        outcome="failed",
        password="correct horse battery staple",
        recovery_code="1234-5678",
        api_token="abc",
        TOTP_secret="JBSWY3DP",
        reason="wrong password",
        note="x" * 500,
        nested={"session_key": "s3cr3t", "count": 3, "items": list(range(50))},
    )

    details = AuditEntry.objects.get().details
    assert sorted(details) == ["nested", "note", "reason"]
    assert details["reason"] == "wrong password"
    assert len(details["note"]) == audit.MAX_TEXT
    assert details["nested"] == {"count": 3, "items": list(range(audit.MAX_ITEMS))}
    assert "correct horse" not in str(AuditEntry.objects.values_list("details", flat=True).get())


def test_record_names_accounts_only_by_pseudonym():
    target = UserFactory(name="Anna Activist", email="anna@example.org")

    audit.record("session.revoked", actor=UserFactory(), target=target)

    assert AuditEntry.objects.get().target_repr == audit.actor_pseudonym(target)


def test_record_refuses_malformed_action_and_outcome():
    with pytest.raises(ValueError):
        audit.record("Login")
    with pytest.raises(ValueError):
        audit.record("auth.login", outcome="maybe")
    assert AuditEntry.objects.count() == 0


def test_record_survives_a_broken_transaction():
    with transaction.atomic():
        with pytest.raises(IntegrityError), connection.cursor() as cursor:
            # A failed statement without a savepoint leaves the transaction unusable.
            cursor.execute("INSERT INTO core_periodicjob (name, next_run_at) VALUES (NULL, NULL)")
        audit.record("auth.login")  # logs the failure, does not raise
        transaction.set_rollback(True)
    assert AuditEntry.objects.count() == 0


def test_record_inside_a_transaction_commits_with_it():
    with transaction.atomic():
        audit.record("record.changed", actor=UserFactory(), field="status")
    assert AuditEntry.objects.filter(action="record.changed").count() == 1


def test_raw_update_and_delete_are_refused_by_the_database():
    audit.record("auth.login", actor=UserFactory())

    with pytest.raises(IntegrityError):
        _raw("UPDATE core_auditentry SET action = 'auth.logout'")
    with pytest.raises(IntegrityError):
        _raw("UPDATE core_auditentry SET actor_id = NULL, outcome = 'failed'")
    with pytest.raises(IntegrityError):
        _raw("DELETE FROM core_auditentry")
    assert AuditEntry.objects.values_list("action", "outcome").get() == ("auth.login", "ok")


def test_orm_changes_are_refused():
    audit.record("auth.login")
    entry = AuditEntry.objects.get()

    entry.action = "auth.logout"
    with pytest.raises(AuditEntryImmutable):
        entry.save()
    with pytest.raises(AuditEntryImmutable):
        entry.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.update(outcome="denied")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.values_list("action", "outcome").get() == ("auth.login", "ok")


def test_deleting_an_account_keeps_its_entries_under_the_pseudonym():
    user = UserFactory()
    label = audit.actor_pseudonym(user)
    audit.record("auth.login", actor=user)

    user.delete()

    assert AuditEntry.objects.values_list("action", "actor", "actor_label").get() == ("auth.login", None, label)


def test_purge_removes_only_entries_older_than_the_retention(settings):
    settings.RARE_AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    for days in (400, 31, 29, 0):
        AuditEntry.objects.create(action="auth.login", at=now - dt.timedelta(days=days), details={"age": days})

    deleted = audit.purge_expired(now=now)

    assert deleted == 2
    remaining = AuditEntry.objects.filter(action="auth.login").order_by("at")
    assert [e.details["age"] for e in remaining] == [29, 0]
    assert AuditEntry.objects.get(action="audit.purged").details["deleted"] == 2


def test_purge_leaves_the_gate_closed():
    audit.record("auth.login")
    audit.purge_before(timezone.now() + dt.timedelta(days=1))
    audit.record("auth.login")

    with pytest.raises(IntegrityError):
        _raw("DELETE FROM core_auditentry")
