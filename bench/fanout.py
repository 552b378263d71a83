"""Alert fan-out throughput: one notice to N members through the real task backend and real SMTP.

Run by `bench/run.py` against the europe-scale database while it runs two `rare worker` processes and a
local SMTP sink. This process only makes sure N members with an address exist, records one
"alert verified" notice for exactly those N (through `rare.core.notifications.notify`, as the alert's
verification does), and watches the database: the in-app notices are done when N deliveries exist, the
emails when N are marked sent (each is marked only after the SMTP server accepted it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

PASSWORD_NEVER_USABLE = "!"  # noqa: S105 (Django's mark of an account nobody can sign in to)


def ensure_members(count: int) -> list[int]:
    """`count` active members with an email address; makes the missing ones in bulk (no password usable).

    Generated people may already be members; only the difference is created, as participants of the
    demo programme (whose alerts they may see like any member)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from rare.community.models import Person
    from rare.core.notifications import member_ids
    from rare.programme.models import Membership, Programme

    User = get_user_model()
    existing = [pk for pk in member_ids() if pk]
    with_email = list(User.objects.filter(pk__in=existing).exclude(email="").values_list("pk", flat=True))
    missing = count - len(with_email)
    if missing > 0:
        programme = Programme.objects.order_by("pk").first()
        start = User.objects.count()
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"bench-member-{start + i}@example.org",
                        name=f"Bench member {start + i}",
                        password=PASSWORD_NEVER_USABLE,
                    )
                    for i in range(missing)
                ],
                batch_size=2000,
            )
            people = Person.objects.bulk_create(
                [Person(user=user, name=user.name, slug=f"bench-member-{user.pk}") for user in users], batch_size=2000
            )
            Membership.objects.bulk_create(
                [Membership(programme=programme, person=p, role=Membership.Role.PARTICIPANT) for p in people],
                batch_size=2000,
            )
        with_email += [user.pk for user in users]
    return sorted(with_email)[:count]


def run(*, members: int, timeout: float) -> dict:
    from django.contrib.auth.models import AnonymousUser

    from rare.core.models import Delivery
    from rare.core.notifications import notify
    from rare.solidarity import queries as alert_queries

    created_started = time.perf_counter()
    recipients = ensure_members(members)
    setup_seconds = time.perf_counter() - created_started
    alert = alert_queries.visible_alerts(AnonymousUser()).order_by("pk").first()
    if alert is None:
        raise RuntimeError("no public verified alert to fan out")
    started = time.perf_counter()
    notice = notify(
        kind="alert.verified",
        target=alert,
        recipients=recipients,
        topic={"category": alert.category, "country": str(alert.country)},
        dedupe_key=f"bench:{time.time_ns()}",
    )
    in_app_seconds = email_seconds = None
    deliveries = sent = 0
    while time.perf_counter() - started < timeout:
        rows = Delivery.objects.filter(notice=notice)
        deliveries = rows.count()
        if in_app_seconds is None and deliveries >= len(recipients):
            in_app_seconds = time.perf_counter() - started
        sent = rows.filter(email_state="sent").count()
        settled = rows.exclude(email_state__in=["pending", "claimed"]).count()
        if in_app_seconds is not None and settled >= deliveries:
            email_seconds = time.perf_counter() - started
            break
        time.sleep(0.25)
    return {
        "members": len(recipients),
        "member_setup_seconds": round(setup_seconds, 2),
        "deliveries": deliveries,
        "emails_sent": sent,
        "in_app_seconds": round(in_app_seconds, 2) if in_app_seconds else None,
        "in_app_per_second": round(deliveries / in_app_seconds) if in_app_seconds else None,
        "all_done_seconds": round(email_seconds, 2) if email_seconds else None,
        "emails_per_second": round(sent / email_seconds) if email_seconds else None,
        "timed_out": email_seconds is None,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--prepare-only", action="store_true", help="only make sure the members exist")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rare.settings")
    import django

    django.setup()
    if args.prepare_only:
        result = {"members": len(ensure_members(args.members))}
    else:
        result = run(members=args.members, timeout=args.timeout)
    with open(args.out, "w") as out:
        json.dump(result, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
