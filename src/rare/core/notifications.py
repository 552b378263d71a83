"""Notifications: tell members about a record, in the app and by email, exactly once each.

Calling it (inside the service's transaction that made the change)::

    from rare.core.notifications import notify

    notify(
        kind="alert.verified",              # registered with register_kind(); see KINDS
        target=alert,                       # the record it is about
        recipients=None,                    # None: every member allowed to see `target`;
                                            # or a queryset of users, or an iterable of user ids
        topic={"category": "detention", "country": "HU"},   # optional, read by digest preferences
        dedupe_key=f"alert.verified:{alert.pk}",            # the same key twice creates nothing new
    )

Whoever is named or found, nobody is ever told about a record they may not see: the audience is
worked out with the rules of `rare.core.visibility` when the notice fans out, checked again just before
each email goes out, and once more when the in-app list or a digest is shown.

Registering a kind (in the app's `AppConfig.ready()`, or here for the kinds core knows)::

    register_kind("alert.verified", label=_("Alert verified"), app="solidarity")

The email of a kind comes from `<app>/notifications/<kind with dots as underscores>_subject.txt` and
`..._body.txt`, rendered in the recipient's language with the context `recipient`, `target` and
`url` (the absolute address of the record). A kind belongs to a group that the member's preferences
refer to: "alerts" (kinds starting with "alert.", or `group="alerts"`) or "follows" (what a member
follows: their groups, actions they own, decisions they must answer).

How it travels
    1. `notify` writes one `Notice` (unique on `dedupe_key`) and, once the transaction commits,
       enqueues `fan_out_notice`.
    2. The fan-out works out the recipients in batches and writes one `Delivery` per member with
       `bulk_create(ignore_conflicts=True)` on the unique pair (notice, member): run twice, it creates
       nothing twice. The delivery is the in-app notice, visible at once; its email is either
       "pending" (send now) or "digest" (wait for the daily digest), from the member's preferences.
    3. `send_notice_emails` claims pending deliveries in batches (PostgreSQL: SELECT ... FOR UPDATE
       SKIP LOCKED; SQLite serialises writers), each claim with a random token and a lease
       (RARE_NOTIFY_LEASE_SECONDS). It sends each email and, right after the SMTP server has accepted
       it, marks that one delivery sent with a single UPDATE that commits on its own.
    4. The periodic `notifications.sweep` (every RARE_NOTIFY_SWEEP_SECONDS) restarts what a dead
       worker left behind: a fan-out that never finished, and deliveries that are still pending or
       whose lease ran out while their sender has gone quiet. It enqueues a new task for them; a
       second sender working on the same notice at the same time does no harm, as claims exclude
       each other.
    5. The daily `notifications.digest` job makes one `Digest` per member and day (unique), moves
       the member's waiting deliveries into it, and sends it with the same claim and lease.

What "exactly once" means here, honestly
    A delivery row exists at most once per member and notice, so the in-app notice is exactly once.
    An email is marked sent by one UPDATE right after the server answered "250 accepted". If a
    worker dies *before* that answer, the lease runs out and the email is sent again, which is
    correct: the server never took the first one. If a worker dies in the short window *between*
    the server's answer and the commit of that UPDATE (one local database round trip), the email is
    sent a second time after the lease. No protocol can close that window from the sending side
    alone; every message therefore carries a Message-ID that is stable per delivery (and per
    digest), so a receiving system that drops repeated Message-IDs shows it once. Nothing is lost: a
    claimed row is always either marked sent or claimed again after its lease. An email that fails
    is retried on later sweeps and given up as "failed" after MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from rare.core.models import Delivery, Digest, EmailState, Notice, NotificationPreference
from rare.core.taskqueue import enqueue_after_commit

log = logging.getLogger(__name__)

ALERTS = "alerts"
FOLLOWS = "follows"
GROUPS = {ALERTS: _("Alerts"), FOLLOWS: _("What you follow")}

BATCH_SIZE = 200  # members per fan-out batch
SEND_BATCH_SIZE = 50  # emails per claim
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any
    app: str
    group: str

    @property
    def template_base(self) -> str:
        return f"{self.app}/notifications/{self.key.replace('.', '_')}"


KINDS: dict[str, Kind] = {}


def register_kind(key: str, *, label, app: str, group: str | None = None) -> Kind:
    """Make a kind of notice known. Registering the same kind again with the same app is harmless."""
    group = group or (ALERTS if key.startswith("alert.") else FOLLOWS)
    if group not in GROUPS:
        raise ValueError(f"Unknown notification group {group!r}.")
    existing = KINDS.get(key)
    if existing is not None and existing.app != app:
        raise ValueError(f"The notification kind {key!r} is already registered by {existing.app!r}.")
    KINDS[key] = Kind(key=key, label=label, app=app, group=group)
    return KINDS[key]


def kind_label(key: str) -> str:
    kind = KINDS.get(key)
    return str(kind.label) if kind else key


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.RARE_NOTIFY_LEASE_SECONDS)


# --- Creating a notice ---------------------------------------------------------------------------


def notify(
    *,
    kind: str,
    target: models.Model,
    recipients: Iterable[Any] | models.QuerySet | None = None,
    topic: dict | None = None,
    dedupe_key: str,
) -> Notice | None:
    """Record a notice about `target` and fan it out in the background once the transaction commits.

    `recipients`: None for everyone allowed to see `target` (members with an active account), a
    queryset of users, or an iterable of user ids (or users). Whoever may not see `target` is dropped.
    Returns the new notice, or None when `dedupe_key` was used before (nothing new is created).
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: register it with register_kind().")
    if target is None or target.pk is None:
        raise ValueError("A notice needs a saved record to be about.")
    if not dedupe_key or len(dedupe_key) > 200:
        raise ValueError("A notice needs a dedupe_key of at most 200 characters.")
    if recipients is not None:
        recipients = _user_ids(recipients)
    with transaction.atomic():
        notice, created = Notice.objects.get_or_create(
            dedupe_key=dedupe_key,
            defaults={
                "kind": kind,
                "target_type": ContentType.objects.get_for_model(target),
                "target_id": target.pk,
                "topic": dict(topic or {}),
                "recipient_ids": recipients,
            },
        )
    if not created:
        return None
    from rare.core.tasks import fan_out_notice

    notice_id = notice.pk
    transaction.on_commit(lambda: fan_out_notice.enqueue(notice_id=notice_id))
    return notice


def _user_ids(recipients) -> list[int]:
    if isinstance(recipients, models.QuerySet):
        return sorted(set(recipients.values_list("pk", flat=True)))
    ids = set()
    for item in recipients:
        ids.add(int(item.pk if hasattr(item, "pk") else item))
    return sorted(ids)


# --- Who may see the record ----------------------------------------------------------------------


def member_ids() -> list[int]:
    """Every active account that holds a role in a programme (a superuser counts as team)."""
    from rare.programme.models import Membership

    users = get_user_model().objects.filter(is_active=True)
    with_role = Membership.objects.filter(person__user=OuterRef("pk"))
    return list(users.filter(Q(Exists(with_role)) | Q(is_superuser=True)).order_by("pk").values_list("pk", flat=True))


def load_users(user_ids: Iterable[int]) -> list:
    """The active users among `user_ids`, with person and preferences, and their roles cached (2 queries)."""
    from rare.programme.models import Membership

    ids = list(user_ids)
    users = list(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .select_related("person", "notification_preference")
        .order_by("pk")
    )
    roles: dict[int, set[str]] = {}
    rows = Membership.objects.filter(person__user_id__in=ids).values_list("person__user_id", "role").distinct()
    for user_id, role in rows:
        roles.setdefault(user_id, set()).add(role)
    for user in users:
        found = roles.get(user.pk, set())
        if user.is_superuser:
            found = found | {Membership.Role.TEAM}
        user._rare_roles = frozenset(found)
    return users


def audience(target: models.Model, users: list) -> list:
    """The users (from `load_users`) who may see `target`: the answer of `can_view`, in a few queries.

    For a `VisibilityControlled` record the audience lists are read once and each user is decided in
    memory; a model that widens its own audience (`own_audience`) is asked per undecided user. A model
    with some other `visible_to` is asked per user; a model without visibility is for members only.
    """
    from rare.core.visibility import VisibilityControlled

    if not users:
        return []
    fresh = type(target)._default_manager.filter(pk=target.pk).first()
    if fresh is None:  # the record is gone
        return []
    if isinstance(fresh, VisibilityControlled):
        return _visibility_audience(fresh, users)
    queryset = type(target)._default_manager.filter(pk=target.pk)
    if hasattr(queryset, "visible_to"):
        return [u for u in users if queryset.visible_to(u).exists()]
    return [u for u in users if u._rare_roles]


def _visibility_audience(target, users: list) -> list:
    from rare.core.visibility import Visibility, VisibleQuerySet, can_view

    level = target.visibility
    if level == Visibility.PUBLIC:
        return list(users)
    team, duty = "team", "duty_officer"
    with_roles = [u for u in users if u._rare_roles]
    if level == Visibility.MEMBERS:
        return with_roles
    people = set(target.allowed_people.values_list("pk", flat=True))
    organisations = set(target.allowed_organisations.values_list("pk", flat=True))
    group_people: set[int] = set()
    group_organisations: set[int] = set()
    if level == Visibility.GROUP:
        from rare.alliance.models import WorkingGroup

        group_ids = list(target.allowed_groups.values_list("pk", flat=True))
        if group_ids:
            group_people = set(
                WorkingGroup.members.through.objects.filter(workinggroup_id__in=group_ids).values_list(
                    "person_id", flat=True
                )
            )
            group_organisations = set(
                WorkingGroup.organisations.through.objects.filter(workinggroup_id__in=group_ids).values_list(
                    "organisation_id", flat=True
                )
            )
    widens = type(type(target)._default_manager.all()).own_audience is not VisibleQuerySet.own_audience

    chosen = []
    for user in with_roles:
        roles = user._rare_roles
        travel = bool(user.travel_mode)
        person = getattr(user, "person", None)
        person_id = person.pk if person else None
        organisation_id = person.organisation_id if person else None
        named = (person_id is not None and person_id in people) or (
            organisation_id is not None and organisation_id in organisations
        )
        if level == Visibility.GROUP:
            via_group = (person_id is not None and person_id in group_people) or (
                person_id is not None and organisation_id is not None and organisation_id in group_organisations
            )
            allowed = duty in roles or team in roles or named or via_group
        else:  # restricted
            if travel:  # never a restricted record in travel mode, not even a named one
                continue
            allowed = duty in roles or named
        if not allowed and widens:
            allowed = can_view(user, target)
        if allowed:
            chosen.append(user)
    return chosen


# --- Fan-out -------------------------------------------------------------------------------------


def _wants_digest(user, kind: Kind, topic: dict) -> bool:
    try:
        preference = user.notification_preference
    except NotificationPreference.DoesNotExist:
        return False
    mode = NotificationPreference.Mode
    if kind.group == ALERTS:
        return (
            preference.alerts == mode.DIGEST
            or topic.get("category") in (preference.alert_digest_categories or [])
            or topic.get("country") in (preference.alert_digest_countries or [])
        )
    return preference.follows == mode.DIGEST


def fan_out(notice_id: int) -> int:
    """Create the deliveries of a notice (idempotent), then start sending; returns deliveries created."""
    notice = Notice.objects.select_related("target_type").filter(pk=notice_id).first()
    if notice is None:
        return 0
    kind = KINDS.get(notice.kind)
    target = _target_of(notice)
    candidates = notice.recipient_ids if notice.recipient_ids is not None else member_ids()
    created = 0
    if kind is not None and target is not None:
        for start in range(0, len(candidates), BATCH_SIZE):
            users = audience(target, load_users(candidates[start : start + BATCH_SIZE]))
            rows = [
                Delivery(
                    notice=notice,
                    recipient=user,
                    email_state=(
                        EmailState.SKIPPED
                        if not user.email
                        else EmailState.DIGEST
                        if _wants_digest(user, kind, notice.topic)
                        else EmailState.PENDING
                    ),
                )
                for user in users
            ]
            created += len(Delivery.objects.bulk_create(rows, ignore_conflicts=True))
            Notice.objects.filter(pk=notice.pk).update(sending_seen_at=timezone.now())
    Notice.objects.filter(pk=notice.pk).update(fanned_out_at=timezone.now(), sending_seen_at=None)
    from rare.core.tasks import send_notice_emails

    enqueue_after_commit(send_notice_emails, notice_id=notice.pk)
    return created


def _target_of(notice: Notice):
    model = notice.target_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=notice.target_id).first()


# --- Sending -------------------------------------------------------------------------------------


def _claimable(now: dt.datetime) -> Q:
    return Q(email_state=EmailState.PENDING) | Q(email_state=EmailState.CLAIMED, claimed_until__lt=now)


def _claim(queryset: models.QuerySet, limit: int) -> tuple[str, list[int]]:
    """Claim up to `limit` rows of `queryset` for this sender; returns the token and the ids."""
    now = timezone.now()
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            queryset.select_for_update(skip_locked=True)
            .filter(_claimable(now))
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            queryset.model.objects.filter(pk__in=ids).update(
                email_state=EmailState.CLAIMED,
                claim_token=token,
                claimed_until=now + lease(),
                attempts=F("attempts") + 1,
            )
    return token, ids


def _settle(model, pk: int, token: str, state: str, **extra) -> None:
    """Mark one claimed row done, if it is still ours; one UPDATE, committed on its own."""
    model.objects.filter(pk=pk, claim_token=token).update(email_state=state, claim_token="", **extra)


def _retry_later(model, pk: int, token: str, attempts: int) -> None:
    if attempts >= MAX_ATTEMPTS:
        _settle(model, pk, token, EmailState.FAILED)
        return
    later = timezone.now() + lease() * attempts
    model.objects.filter(pk=pk, claim_token=token).update(claimed_until=later)


def language_of(user) -> str:
    """The language of a member's emails: their choice, else their profile's first known language."""
    known = {code for code, _name in settings.LANGUAGES}
    try:
        chosen = user.notification_preference.language
    except NotificationPreference.DoesNotExist:
        chosen = ""
    if chosen in known:
        return chosen
    person = getattr(user, "person", None)
    for code in person.language_codes if person else []:
        code = code.lower().split("-")[0]
        if code in known:
            return code
    return settings.LANGUAGE_CODE


def message_id(prefix: str, pk: int) -> str:
    """A Message-ID that stays the same each time this email is (re)sent."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{prefix}:{pk}".encode()).hexdigest()[:20]
    host = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
    return f"<{prefix}.{pk}.{digest}@{host}>"


def target_url(target) -> str:
    from django.urls import reverse

    path = target.get_absolute_url() if hasattr(target, "get_absolute_url") else reverse("notifications:list")
    return f"{settings.SITE_URL}{path}"


def _render(base: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        body = render_to_string(f"{base}_body.txt", context)
    return subject, body


def _email(*, to: str, subject: str, body: str, msgid: str) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=body,
        to=[to],
        headers={"Message-ID": msgid, "Auto-Submitted": "auto-generated"},
    )


def send_notice_batch(notice_id: int) -> int:
    """Claim and send one batch of a notice's emails; returns how many rows were claimed."""
    notice = Notice.objects.select_related("target_type").filter(pk=notice_id).first()
    if notice is None:
        return 0
    token, ids = _claim(Delivery.objects.filter(notice_id=notice_id), SEND_BATCH_SIZE)
    if not ids:
        return 0
    Notice.objects.filter(pk=notice_id).update(sending_seen_at=timezone.now())
    deliveries = list(Delivery.objects.filter(pk__in=ids, claim_token=token).only("pk", "recipient_id", "attempts"))
    kind = KINDS.get(notice.kind)
    target = _target_of(notice)
    users = load_users([d.recipient_id for d in deliveries])
    allowed = {u.pk: u for u in audience(target, users)} if (target is not None and kind is not None) else {}
    connection = None
    url = ""
    try:
        for delivery in deliveries:
            user = allowed.get(delivery.recipient_id)
            if user is None or not user.email:
                # No longer allowed to see it (or no address): the in-app list hides it too.
                _settle(Delivery, delivery.pk, token, EmailState.SKIPPED)
                continue
            if delivery.attempts > MAX_ATTEMPTS:
                _settle(Delivery, delivery.pk, token, EmailState.FAILED)
                continue
            try:
                url = url or target_url(target)
                context = {"recipient": user, "target": target, "url": url}
                subject, body = _render(kind.template_base, context, language_of(user))
                if connection is None:
                    connection = get_connection()
                    connection.open()
                message = _email(to=user.email, subject=subject, body=body, msgid=message_id("notice", delivery.pk))
                connection.send_messages([message])
            except Exception:
                log.exception("notifications: email of delivery %s failed", delivery.pk)
                _retry_later(Delivery, delivery.pk, token, delivery.attempts)
                if connection is not None:
                    connection.close()
                    connection = None
                continue
            # The server has accepted it: record that at once (see "exactly once" above).
            _settle(Delivery, delivery.pk, token, EmailState.SENT, sent_at=timezone.now())
    finally:
        if connection is not None:
            connection.close()
    return len(ids)


def send_notice(notice_id: int) -> int:
    """Send every claimable email of a notice, batch after batch; returns how many rows were claimed."""
    total = 0
    while True:
        claimed = send_notice_batch(notice_id)
        if not claimed:
            break
        total += claimed
    return total


# --- Recovery ------------------------------------------------------------------------------------


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Restart what a dead worker left behind (see the module docstring); returns what it restarted."""
    from rare.core.tasks import fan_out_notice, send_digests, send_notice_emails

    now = now or timezone.now()
    quiet = now - lease()
    idle = Q(sending_seen_at__isnull=True) | Q(sending_seen_at__lt=quiet)
    unfinished = list(
        Notice.objects.filter(idle, fanned_out_at__isnull=True, created_at__lt=quiet).values_list("pk", flat=True)
    )
    waiting = Delivery.objects.filter(_claimable(now), notice=OuterRef("pk"))
    stuck = list(
        Notice.objects.filter(idle, fanned_out_at__isnull=False).filter(Exists(waiting)).values_list("pk", flat=True)
    )
    if unfinished or stuck:
        Notice.objects.filter(pk__in=unfinished + stuck).update(sending_seen_at=now)
    for notice_id in unfinished:
        enqueue_after_commit(fan_out_notice, notice_id=notice_id)
    for notice_id in stuck:
        enqueue_after_commit(send_notice_emails, notice_id=notice_id)
    digests = Digest.objects.filter(_claimable(now)).filter(Q(email_state=EmailState.CLAIMED) | Q(created_at__lt=quiet))
    digests_waiting = digests.exists()
    if digests_waiting:
        enqueue_after_commit(send_digests)
    return {"fan_out": len(unfinished), "send": len(stuck), "digests": int(digests_waiting)}


# --- Digests -------------------------------------------------------------------------------------


def collect_digests(day: dt.date | None = None) -> int:
    """Put every member's waiting deliveries into today's digest (once per member and day)."""
    day = day or timezone.localdate()
    recipients = list(
        Delivery.objects.filter(email_state=EmailState.DIGEST)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    Digest.objects.bulk_create([Digest(recipient_id=r, day=day) for r in recipients], ignore_conflicts=True)
    collected = 0
    for digest_id, recipient_id in Digest.objects.filter(
        day=day, recipient_id__in=recipients, email_state=EmailState.PENDING
    ).values_list("pk", "recipient_id"):
        with transaction.atomic():
            digest = Digest.objects.select_for_update().filter(pk=digest_id, email_state=EmailState.PENDING).first()
            if digest is None:  # already being sent: its items wait for tomorrow
                continue
            collected += Delivery.objects.filter(recipient_id=recipient_id, email_state=EmailState.DIGEST).update(
                email_state=EmailState.IN_DIGEST, digest=digest
            )
    return collected


def send_digest_batch() -> int:
    token, ids = _claim(Digest.objects.all(), SEND_BATCH_SIZE)
    if not ids:
        return 0
    digests = list(Digest.objects.filter(pk__in=ids, claim_token=token))
    users = {u.pk: u for u in load_users([d.recipient_id for d in digests])}
    connection = None
    try:
        for digest in digests:
            user = users.get(digest.recipient_id)
            items = list(inbox(user, queryset=Delivery.objects.filter(digest=digest))) if user is not None else []
            attach_targets(items)
            if user is None or not user.email or not items:
                _settle(Digest, digest.pk, token, EmailState.SKIPPED)
                continue
            context = {
                "recipient": user,
                "items": items,
                "day": digest.day,
                "url": f"{settings.SITE_URL}{_list_path()}",
            }
            try:
                subject, body = _render("core/notifications/digest", context, language_of(user))
                if connection is None:
                    connection = get_connection()
                    connection.open()
                connection.send_messages(
                    [_email(to=user.email, subject=subject, body=body, msgid=message_id("digest", digest.pk))]
                )
            except Exception:
                log.exception("notifications: digest %s failed", digest.pk)
                _retry_later(Digest, digest.pk, token, digest.attempts)
                if connection is not None:
                    connection.close()
                    connection = None
                continue
            _settle(Digest, digest.pk, token, EmailState.SENT, sent_at=timezone.now())
    finally:
        if connection is not None:
            connection.close()
    return len(ids)


def send_all_digests() -> int:
    total = 0
    while True:
        claimed = send_digest_batch()
        if not claimed:
            return total
        total += claimed


def _list_path() -> str:
    from django.urls import reverse

    return reverse("notifications:list")


# --- Reading: the in-app list --------------------------------------------------------------------


def _target_type_ids(user) -> list[int]:
    """The record types of the member's own notices (read once per request and kept on the user)."""
    ids = getattr(user, "_rare_notice_types", None)
    if ids is None:
        ids = sorted(
            set(
                Delivery.objects.filter(recipient=user)
                .order_by()
                .values_list("notice__target_type_id", flat=True)
                .distinct()
            )
        )
        user._rare_notice_types = ids
    return ids


def _visible_pks(model, user) -> models.QuerySet:
    from rare.programme.rules import roles_of

    queryset = model._default_manager.all()
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user).values("pk")
    return queryset.values("pk") if roles_of(user) else queryset.none().values("pk")


def visible_deliveries(queryset: models.QuerySet, user) -> models.QuerySet:
    """Only the deliveries whose record `user` may still see: one filter of subqueries, no extra rows."""
    condition = Q(pk__in=[])
    for type_id in _target_type_ids(user):
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        condition |= Q(notice__target_type_id=type_id, notice__target_id__in=_visible_pks(model, user))
    return queryset.filter(condition)


def inbox(user, *, queryset: models.QuerySet | None = None) -> models.QuerySet:
    """A member's notices, newest first, whose records they may still see."""
    if user is None or not user.is_authenticated:
        return Delivery.objects.none()
    queryset = queryset if queryset is not None else Delivery.objects.all()
    return (
        visible_deliveries(queryset.filter(recipient=user), user)
        .select_related("notice")
        .order_by("-created_at", "-id")
    )


def unread_count(user) -> int:
    """How many unread notices a member has (one query, the record types being known)."""
    if user is None or not user.is_authenticated:
        return 0
    if not _target_type_ids(user):
        return 0
    return inbox(user).filter(read_at__isnull=True).count()


def attach_targets(deliveries: list) -> list:
    """Give each delivery its `target` record (one query per record type on the page)."""
    wanted: dict[int, set[int]] = {}
    for delivery in deliveries:
        wanted.setdefault(delivery.notice.target_type_id, set()).add(delivery.notice.target_id)
    found: dict[tuple[int, int], Any] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for pk, obj in model._default_manager.in_bulk(list(ids)).items():
            found[(type_id, pk)] = obj
    for delivery in deliveries:
        delivery.target = found.get((delivery.notice.target_type_id, delivery.notice.target_id))
        delivery.kind_label = kind_label(delivery.notice.kind)
    return deliveries


# --- Member actions ------------------------------------------------------------------------------


def mark_read(*, user, delivery_ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with None, all) of a member's notices read; returns how many changed."""
    queryset = Delivery.objects.filter(recipient=user, read_at__isnull=True)
    if delivery_ids is not None:
        queryset = queryset.filter(pk__in=list(delivery_ids))
    return queryset.update(read_at=timezone.now())


def preferences_of(user) -> NotificationPreference:
    try:
        return NotificationPreference.objects.get(user=user)
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


@transaction.atomic
def update_preferences(
    *,
    user,
    alerts: str,
    follows: str,
    alert_digest_categories: list[str],
    alert_digest_countries: list[str],
    language: str = "",
    request=None,
) -> NotificationPreference:
    """Save how a member wants to be told, and write the change to the audit trail."""
    from rare.core import audit

    preference = preferences_of(user)
    before = {
        "alerts": preference.alerts,
        "follows": preference.follows,
        "categories": list(preference.alert_digest_categories or []),
        "countries": list(preference.alert_digest_countries or []),
        "language": preference.language,
    }
    preference.alerts = alerts
    preference.follows = follows
    preference.alert_digest_categories = sorted(set(alert_digest_categories))
    preference.alert_digest_countries = sorted(set(alert_digest_countries))
    preference.language = language
    preference.save()
    after = {
        "alerts": preference.alerts,
        "follows": preference.follows,
        "categories": preference.alert_digest_categories,
        "countries": preference.alert_digest_countries,
        "language": preference.language,
    }
    changed = sorted(name for name in after if after[name] != before[name])
    audit.record("notifications.preferences_changed", actor=user, request=request, changed=changed)
    return preference


# Kinds that core knows of. Apps register theirs in their AppConfig.ready().
register_kind("alert.verified", label=_("Alert verified"), app="solidarity", group=ALERTS)
