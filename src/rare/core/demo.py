"""Demo notifications: the in-app notices of the demo's verified alerts, and one member's digest choice.

The alerts of the demo were verified in the past, so their emails count as long gone: only the in-app
notices are made (marked read for the older half), and nothing is emailed when the demo loads.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from rare.core import notifications
from rare.core.models import Delivery, EmailState, Notice, NotificationPreference


@transaction.atomic
def load_demo_notifications() -> int:
    """Make the notices of every verified demo alert; returns how many notices exist."""
    from rare.solidarity.models import Alert

    alerts = (
        Alert.objects.exclude(status=Alert.Status.REPORTED).exclude(verified_at__isnull=True).order_by("verified_at")
    )
    for alert in alerts:
        notice = notifications.notify(
            kind="alert.verified",
            target=alert,
            topic={"category": alert.category, "country": str(alert.country)},
            dedupe_key=f"alert.verified:{alert.pk}",
        )
        if notice is None:
            continue
        Notice.objects.filter(pk=notice.pk).update(created_at=alert.verified_at)
        for start in range(0, len(ids := notifications.member_ids()), notifications.BATCH_SIZE):
            users = notifications.audience(
                alert, notifications.load_users(ids[start : start + notifications.BATCH_SIZE])
            )
            Delivery.objects.bulk_create(
                [
                    Delivery(
                        notice=notice, recipient=user, created_at=alert.verified_at, email_state=EmailState.SKIPPED
                    )
                    for user in users
                ],
                ignore_conflicts=True,
            )
        Notice.objects.filter(pk=notice.pk).update(fanned_out_at=alert.verified_at)
    # The older half has been read already.
    notices = list(Notice.objects.filter(kind="alert.verified").order_by("created_at").values_list("pk", "created_at"))
    for pk, created_at in notices[: len(notices) // 2]:
        Delivery.objects.filter(notice_id=pk, read_at__isnull=True).update(read_at=created_at)
    expert = get_user_model().objects.filter(email="expert@example.org").first()
    if expert is not None:
        NotificationPreference.objects.get_or_create(
            user=expert, defaults={"alerts": NotificationPreference.Mode.DIGEST, "language": "de"}
        )
    return len(notices)
