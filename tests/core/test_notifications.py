"""Notifications: who is told, in which language, at once or in the digest, once; the in-app list."""

import datetime as dt

import pytest
from django.utils import timezone

from rare.core import notifications
from rare.core.models import AuditEntry, Delivery, Digest, EmailState, Notice, NotificationPreference
from rare.core.visibility import Visibility, can_view
from rare.programme.models import Membership
from rare.solidarity import services
from rare.solidarity.models import Alert
from tests.factories import (
    AlertFactory,
    MembershipFactory,
    NotificationPreferenceFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    UserFactory,
    WorkingGroupFactory,
)

Role = Membership.Role
SOURCES = ["https://example.org/one", "https://example.org/two"]


@pytest.fixture
def programme():
    return ProgrammeFactory()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks, tasks_run_now):
    """Run the callbacks (and so the tasks) that a block registers, as a real commit would."""

    def run(block, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return block(*args, **kwargs)

    return run


def member(programme, role=Role.PARTICIPANT, **person_fields):
    person = PersonFactory(user=UserFactory(), **person_fields)
    MembershipFactory(programme=programme, person=person, role=role)
    return person.user


def verify(alert, officer, run_on_commit):
    return run_on_commit(services.verify_alert, alert=alert, officer=officer, reasons="Seen.", checked_sources=SOURCES)


def emails_to(mailoutbox, user) -> list:
    return [m for m in mailoutbox if m.to == [user.email]]


# --- Fan-out on verification ----------------------------------------------------------------------


@pytest.mark.django_db
def test_verifying_a_members_alert_tells_every_member_once_and_nobody_else(programme, run_on_commit, mailoutbox):
    officer = member(programme, Role.DUTY_OFFICER)
    members = [member(programme) for _ in range(3)]
    stranger = UserFactory()  # an account without any role
    gone = member(programme)
    gone.is_active = False
    gone.save()
    alert = AlertFactory(visibility=Visibility.MEMBERS)

    verify(alert, officer, run_on_commit)

    told = set(Delivery.objects.values_list("recipient_id", flat=True))
    assert told == {officer.pk, *(m.pk for m in members)}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([officer.email, *(m.email for m in members)])
    assert emails_to(mailoutbox, stranger) == []
    assert set(Delivery.objects.values_list("email_state", flat=True)) == {EmailState.SENT}
    message = emails_to(mailoutbox, members[0])[0]
    assert message.extra_headers["Message-ID"] == notifications.message_id(
        "notice", Delivery.objects.get(recipient=members[0]).pk
    )
    assert f"/alerts/{alert.pk}/" in message.body
    assert alert.title in message.body


@pytest.mark.django_db
def test_a_restricted_alert_reaches_only_its_named_audience_and_duty_officers(programme, run_on_commit, mailoutbox):
    officer = member(programme, Role.DUTY_OFFICER)
    organisation = OrganisationFactory()
    colleague = member(programme, organisation=organisation)
    named = member(programme)
    others = [member(programme) for _ in range(2)]
    team = member(programme, Role.TEAM)
    travelling = member(programme, Role.DUTY_OFFICER)
    travelling.travel_mode = True
    travelling.save()
    alert = AlertFactory(visibility=Visibility.RESTRICTED)
    alert.allowed_organisations.add(organisation)
    alert.allowed_people.add(named.person)

    verify(alert, officer, run_on_commit)

    expected = {officer.pk, colleague.pk, named.pk}
    assert set(Delivery.objects.values_list("recipient_id", flat=True)) == expected
    assert {m.to[0] for m in mailoutbox} == {officer.email, colleague.email, named.email}
    for user in [*others, team, travelling]:
        assert emails_to(mailoutbox, user) == []
    # The title of a restricted alert does not travel by email.
    assert alert.title not in emails_to(mailoutbox, named)[0].body


@pytest.mark.django_db
def test_the_audience_is_exactly_who_can_view_the_record(programme):
    organisation = OrganisationFactory()
    group_member = member(programme)
    group = WorkingGroupFactory()
    group.members.add(group_member.person)
    users = [
        member(programme),
        member(programme, Role.TEAM),
        member(programme, Role.DUTY_OFFICER),
        member(programme, organisation=organisation),
        group_member,
        UserFactory(),
        UserFactory(is_superuser=True),
    ]
    traveller = member(programme, Role.DUTY_OFFICER, organisation=organisation)
    traveller.travel_mode = True
    traveller.save()
    users.append(traveller)
    for level in Visibility.values:
        alert = AlertFactory(visibility=level)
        alert.allowed_organisations.add(organisation)
        alert.allowed_groups.add(group)
        loaded = notifications.load_users([u.pk for u in users])
        chosen = {u.pk for u in notifications.audience(alert, loaded)}
        fresh = [type(u).objects.get(pk=u.pk) for u in users]
        assert chosen == {u.pk for u in fresh if can_view(u, alert)}, level


@pytest.mark.django_db
def test_a_german_speaking_member_gets_the_email_in_german(programme, run_on_commit, mailoutbox):
    officer = member(programme, Role.DUTY_OFFICER)
    german = member(programme, languages="de,en")
    chooses = member(programme, languages="en")
    NotificationPreferenceFactory(user=chooses, language="hu")
    alert = AlertFactory(visibility=Visibility.MEMBERS, country="HU", category=Alert.Category.JUDICIAL_HARASSMENT)

    verify(alert, officer, run_on_commit)

    message = emails_to(mailoutbox, german)[0]
    assert "Ungarn" in message.subject
    assert "Einschüchterung mit juristischen Mitteln" in message.body
    assert "Hungary" in emails_to(mailoutbox, officer)[0].subject
    assert "Magyarország" in emails_to(mailoutbox, chooses)[0].subject


@pytest.mark.django_db
def test_the_same_dedupe_key_twice_creates_nothing_new(programme, run_on_commit, mailoutbox):
    people = [member(programme) for _ in range(2)]
    alert = AlertFactory(visibility=Visibility.MEMBERS, status=Alert.Status.VERIFIED)

    def send():
        return notifications.notify(kind="alert.verified", target=alert, dedupe_key=f"alert.verified:{alert.pk}")

    first = run_on_commit(send)
    second = run_on_commit(send)

    assert first is not None
    assert second is None
    assert Notice.objects.count() == 1
    assert Delivery.objects.count() == 2
    assert len(mailoutbox) == 2
    # Running the fan-out and the sender again (as the sweep would) sends nothing twice.
    notifications.fan_out(first.pk)
    notifications.send_notice(first.pk)
    assert Delivery.objects.count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)


@pytest.mark.django_db
def test_named_recipients_accept_ids_or_a_queryset_and_lose_who_may_not_see(programme, run_on_commit, mailoutbox):
    allowed = member(programme)
    outsider = member(programme)
    alert = AlertFactory(visibility=Visibility.RESTRICTED)
    alert.allowed_people.add(allowed.person)

    run_on_commit(
        notifications.notify,
        kind="alert.verified",
        target=alert,
        recipients=[allowed.pk, outsider.pk],
        dedupe_key="by-ids",
    )
    run_on_commit(
        notifications.notify,
        kind="alert.verified",
        target=alert,
        recipients=type(allowed).objects.filter(pk__in=[allowed.pk, outsider.pk]),
        dedupe_key="by-queryset",
    )

    assert list(Delivery.objects.values_list("recipient_id", flat=True)) == [allowed.pk, allowed.pk]
    assert [m.to for m in mailoutbox] == [[allowed.email], [allowed.email]]


@pytest.mark.django_db
def test_an_unknown_kind_is_refused():
    alert = AlertFactory()
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notifications.notify(kind="nothing.known", target=alert, dedupe_key="x")


@pytest.mark.django_db
def test_someone_who_lost_sight_of_the_record_before_sending_gets_no_email(programme, mailoutbox):
    person = member(programme)
    alert = AlertFactory(visibility=Visibility.MEMBERS)
    notice = notifications.notify(kind="alert.verified", target=alert, dedupe_key="k")
    notifications.fan_out(notice.pk)  # the sender has not run yet (no on-commit here)
    mailoutbox.clear()
    Alert.objects.filter(pk=alert.pk).update(visibility=Visibility.RESTRICTED)

    notifications.send_notice(notice.pk)

    assert mailoutbox == []
    assert Delivery.objects.get(recipient=person).email_state == EmailState.SKIPPED
    assert list(notifications.inbox(person)) == []
    assert notifications.unread_count(person) == 0


# --- Digest ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_digest_members_get_one_daily_email_with_their_notices_once(programme, run_on_commit, mailoutbox):
    officer = member(programme, Role.DUTY_OFFICER)
    digest_reader = member(programme)
    NotificationPreferenceFactory(user=digest_reader, alerts=NotificationPreference.Mode.DIGEST)
    first = AlertFactory(visibility=Visibility.MEMBERS)
    second = AlertFactory(visibility=Visibility.MEMBERS)

    verify(first, officer, run_on_commit)
    verify(second, officer, run_on_commit)

    assert emails_to(mailoutbox, digest_reader) == []
    assert notifications.unread_count(digest_reader) == 2  # in the app at once all the same
    assert len(emails_to(mailoutbox, officer)) == 2

    today = timezone.localdate()
    assert notifications.collect_digests(today) == 2
    notifications.send_all_digests()
    assert notifications.collect_digests(today) == 0
    notifications.send_all_digests()
    notifications.sweep(timezone.now() + dt.timedelta(hours=1))
    notifications.send_all_digests()

    digests = emails_to(mailoutbox, digest_reader)
    assert len(digests) == 1
    assert "2 new notices" in digests[0].subject
    assert first.title in digests[0].body and second.title in digests[0].body
    assert Digest.objects.get().email_state == EmailState.SENT


@pytest.mark.django_db
def test_alerts_of_a_chosen_category_or_country_go_to_the_digest(programme, run_on_commit, mailoutbox):
    officer = member(programme, Role.DUTY_OFFICER)
    reader = member(programme)
    NotificationPreferenceFactory(
        user=reader, alert_digest_categories=[Alert.Category.SURVEILLANCE], alert_digest_countries=["PL"]
    )
    surveillance = AlertFactory(visibility=Visibility.MEMBERS, category=Alert.Category.SURVEILLANCE, country="HU")
    polish = AlertFactory(visibility=Visibility.MEMBERS, category=Alert.Category.DETENTION, country="PL")
    urgent = AlertFactory(visibility=Visibility.MEMBERS, category=Alert.Category.DETENTION, country="HU")

    for alert in (surveillance, polish, urgent):
        verify(alert, officer, run_on_commit)

    states = dict(Delivery.objects.filter(recipient=reader).values_list("notice__target_id", "email_state"))
    assert states == {surveillance.pk: EmailState.DIGEST, polish.pk: EmailState.DIGEST, urgent.pk: EmailState.SENT}
    assert len(emails_to(mailoutbox, reader)) == 1


# --- Recovery -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_resends_what_a_dead_sender_claimed_after_its_lease_only(programme, settings, mailoutbox):
    people = [member(programme) for _ in range(3)]
    alert = AlertFactory(visibility=Visibility.MEMBERS)
    notice = notifications.notify(kind="alert.verified", target=alert, dedupe_key="k")
    notifications.fan_out(notice.pk)  # its sender is only queued (database backend)
    settings.TASKS = {
        "default": {**settings.TASKS["default"], "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    # A sender claimed every row, then died before sending anything.
    _token, ids = notifications._claim(Delivery.objects.filter(notice=notice), 10)
    assert len(ids) == 3
    mailoutbox.clear()

    assert notifications.sweep() == {"fan_out": 0, "send": 0, "digests": 0}
    assert mailoutbox == []

    later = timezone.now() + notifications.lease() + dt.timedelta(seconds=1)
    Delivery.objects.update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert notifications.sweep(later) == {"fan_out": 0, "send": 1, "digests": 0}

    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {2}


@pytest.mark.django_db
def test_the_sweep_finishes_a_fan_out_that_never_ran(programme, tasks_run_now, mailoutbox):
    person = member(programme)
    alert = AlertFactory(visibility=Visibility.MEMBERS)
    notice = notifications.notify(kind="alert.verified", target=alert, dedupe_key="k")  # on-commit never ran
    Notice.objects.filter(pk=notice.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))

    assert notifications.sweep()["fan_out"] == 1

    assert [m.to for m in mailoutbox] == [[person.email]]


# --- Pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_my_visible_notices_and_marks_them_read(client, programme):
    reader = member(programme)
    alerts = [AlertFactory(visibility=Visibility.MEMBERS) for _ in range(2)]
    hidden = AlertFactory(visibility=Visibility.MEMBERS)
    for alert in [*alerts, hidden]:
        notice = notifications.notify(kind="alert.verified", target=alert, dedupe_key=f"k{alert.pk}")
        notifications.fan_out(notice.pk)
    Alert.objects.filter(pk=hidden.pk).update(visibility=Visibility.RESTRICTED)
    client.force_login(reader)

    page = client.get("/notifications/").content.decode()
    assert "Notifications (2 unread)" in page
    assert alerts[0].title in page and alerts[1].title in page
    assert hidden.title not in page

    first = Delivery.objects.get(recipient=reader, notice__target_id=alerts[0].pk)
    response = client.post(f"/notifications/{first.pk}/read/")
    assert response.status_code == 302
    assert notifications.unread_count(reader) == 1
    client.post("/notifications/read/")
    assert notifications.unread_count(reader) == 0
    assert "Notifications (0 unread)" in client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_marking_read_touches_only_my_own_notices(client, programme):
    mine, theirs = member(programme), member(programme)
    notice = notifications.notify(kind="alert.verified", target=AlertFactory(visibility="members"), dedupe_key="k")
    notifications.fan_out(notice.pk)
    client.force_login(mine)
    client.post(f"/notifications/{Delivery.objects.get(recipient=theirs).pk}/read/")
    assert notifications.unread_count(theirs) == 1


@pytest.mark.django_db
def test_the_list_query_count_does_not_grow_with_notices(client, programme, django_assert_max_num_queries):
    reader = member(programme)
    client.force_login(reader)

    def make(count):
        for _ in range(count):
            alert = AlertFactory(visibility=Visibility.MEMBERS)
            notice = notifications.notify(kind="alert.verified", target=alert, dedupe_key=f"k{alert.pk}")
            notifications.fan_out(notice.pk)

    make(3)
    with django_assert_max_num_queries(30) as few:
        assert client.get("/notifications/").status_code == 200
    make(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/notifications/")
    assert response.content.decode().count('<li class="card') == 25


@pytest.mark.django_db
def test_preferences_are_saved_and_audited(client, programme):
    reader = member(programme)
    client.force_login(reader)
    assert client.get("/notifications/preferences/").status_code == 200

    response = client.post(
        "/notifications/preferences/",
        {
            "alerts": "immediate",
            "follows": "digest",
            "alert_digest_categories": ["surveillance", "raid"],
            "alert_digest_countries": ["PL"],
            "language": "de",
        },
    )

    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=reader)
    assert (preference.follows, preference.alert_digest_categories, preference.alert_digest_countries) == (
        "digest",
        ["raid", "surveillance"],
        ["PL"],
    )
    assert notifications.language_of(reader) == "de"
    entry = AuditEntry.objects.get(action="notifications.preferences_changed")
    assert entry.actor == reader
    assert entry.details == {"changed": ["categories", "countries", "follows", "language"]}


@pytest.mark.django_db
def test_pages_are_for_members_only(client):
    client.force_login(UserFactory())
    assert client.get("/notifications/").status_code == 404
    assert client.get("/notifications/preferences/").status_code == 404
    client.logout()
    assert client.get("/notifications/").status_code == 302


@pytest.mark.django_db
def test_only_members_see_the_notifications_link(client, programme):
    assert "Notifications (" not in client.get("/").content.decode()
    client.force_login(UserFactory())
    assert "Notifications (" not in client.get("/").content.decode()
    client.force_login(member(programme))
    assert "Notifications (0 unread)" in client.get("/").content.decode()
