import csv
import io

from django.conf import settings
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from rare.core.models import AuditEntry
from rare.programme.models import Attendance, Registration
from tests.factories import AttendanceFactory, PersonFactory, RegistrationFactory, SessionFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_list_shows_counts_and_needs_to_the_team(world, client):
    RegistrationFactory(camp=world.camp, person=PersonFactory(name="Ana"), dietary_needs="Vegetarian")
    RegistrationFactory(camp=world.camp, person=PersonFactory(name="Bea"), access_needs="Step-free access")
    RegistrationFactory(camp=world.camp, person=PersonFactory(name="Cid"), needs_accommodation=False)
    RegistrationFactory(
        camp=world.camp, person=PersonFactory(name="Dan"), status=Registration.Status.CANCELLED, dietary_needs="Vegan"
    )
    client.force_login(world.team)

    response = client.get(world.list_url)

    body = response.content.decode()
    counts = response.context["counts"]
    assert response.status_code == 200
    assert (counts.registered, counts.cancelled, counts.accommodation, counts.dietary, counts.access) == (3, 1, 2, 1, 1)
    assert "Vegetarian" in body
    assert "Step-free access" in body


def test_viewing_the_list_is_audited_once_per_page_view(world, client):
    RegistrationFactory.create_batch(3, camp=world.camp)
    client.force_login(world.team)

    client.get(world.list_url)

    entries = list(AuditEntry.objects.filter(action="registration.needs_viewed"))
    assert len(entries) == 1
    assert entries[0].details == {"page": 1, "rows": 3}


def test_list_filters_by_status_country_and_name(world, client):
    RegistrationFactory(camp=world.camp, person=PersonFactory(name="Ana Kovacs", country="HU"))
    RegistrationFactory(camp=world.camp, person=PersonFactory(name="Bruno Rossi", country="IT"))
    RegistrationFactory(
        camp=world.camp, person=PersonFactory(name="Carla Nagy", country="HU"), status=Registration.Status.CANCELLED
    )
    client.force_login(world.team)

    def names(query: str) -> list[str]:
        return [r.person.name for r in client.get(f"{world.list_url}?{query}").context["registrations"]]

    assert names("country=HU") == ["Ana Kovacs", "Carla Nagy"]
    assert names("status=cancelled") == ["Carla Nagy"]
    assert names("q=ross") == ["Bruno Rossi"]
    assert names("country=HU&status=registered") == ["Ana Kovacs"]


def test_list_query_count_does_not_grow_with_rows(world, client, django_assert_max_num_queries):
    client.force_login(world.team)
    RegistrationFactory.create_batch(5, camp=world.camp)
    with django_assert_max_num_queries(30) as few:
        client.get(world.list_url)
    RegistrationFactory.create_batch(45, camp=world.camp)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(world.list_url)
    assert len(response.context["registrations"]) == 50


def test_list_is_paginated_and_keeps_the_filters(world, client):
    for n in range(55):
        RegistrationFactory(camp=world.camp, person=PersonFactory(name=f"Person {n:02}", country="HU"))
    client.force_login(world.team)

    body = client.get(f"{world.list_url}?country=HU").content.decode()
    second = client.get(f"{world.list_url}?country=HU&page=2")

    assert "?country=HU&amp;page=2" in body
    assert [r.person.name for r in second.context["registrations"]] == [f"Person {n:02}" for n in range(50, 55)]


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_is_streamed_with_the_needs_and_audited(world, client):
    ana = world.participant.person
    ana.name, ana.country = "Ana Kovacs", "HU"
    ana.save()
    RegistrationFactory(camp=world.camp, person=ana, dietary_needs="Vegan", access_needs="=HYPERLINK(1)")
    RegistrationFactory(camp=world.camp, person=PersonFactory(name="Bruno Rossi", country="IT"))
    client.force_login(world.team)

    response = client.get(f"{world.list_url}export.csv?country=HU")

    rows = read_csv(response)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == 'attachment; filename="registrations-vienna.csv"'
    assert rows[0][:5] == ["Name", "Email", "Organisation", "Country", "Status"]
    assert rows[0][8:12] == ["Travel needs", "Accommodation needs", "Dietary needs", "Access needs"]
    assert len(rows) == 2
    assert rows[1][0] == "Ana Kovacs"
    assert rows[1][1] == world.participant.email
    assert rows[1][10:12] == ["Vegan", "'=HYPERLINK(1)"]
    exported = AuditEntry.objects.get(action="registration.exported")
    assert exported.details == {"format": "csv", "rows": 1, "selected": False}


def test_xlsx_export_holds_every_row(world, client):
    RegistrationFactory(camp=world.camp, person=PersonFactory(name="Ana Kovacs"), dietary_needs="Vegan")
    RegistrationFactory(camp=world.camp, person=PersonFactory(name="Bruno Rossi"), access_needs="Hearing loop")
    client.force_login(world.team)

    response = client.get(f"{world.list_url}export.xlsx")

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="registrations-vienna.xlsx"'
    assert [row[0] for row in rows] == ["Name", "Ana Kovacs", "Bruno Rossi"]
    assert rows[1][10] == "Vegan"
    assert rows[2][11] == "Hearing loop"


def test_export_query_count_does_not_grow_with_rows(world, client, django_assert_max_num_queries):
    client.force_login(world.team)
    RegistrationFactory.create_batch(5, camp=world.camp)
    with django_assert_max_num_queries(30) as few:
        b"".join(client.get(f"{world.list_url}export.csv").streaming_content)
    RegistrationFactory.create_batch(45, camp=world.camp)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = read_csv(client.get(f"{world.list_url}export.csv"))
    assert len(rows) == 51


def test_bulk_cancel_cancels_only_the_selected_rows(world, client):
    first, second, third = RegistrationFactory.create_batch(3, camp=world.camp)
    client.force_login(world.team)

    response = client.post(f"{world.list_url}bulk/", {"action": "cancel", "ids": [first.pk, third.pk]}, follow=True)

    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "registered", third.pk: "cancelled"}
    assert "2 registrations cancelled." in response.content.decode()
    assert AuditEntry.objects.filter(action="registration.cancelled").count() == 2


def test_bulk_actions_ignore_rows_of_other_camps(world, client):
    mine = RegistrationFactory(camp=world.camp)
    elsewhere = RegistrationFactory()
    client.force_login(world.team)

    client.post(f"{world.list_url}bulk/", {"action": "cancel", "ids": [mine.pk, elsewhere.pk]})

    elsewhere.refresh_from_db()
    mine.refresh_from_db()
    assert (mine.status, elsewhere.status) == ("registered", "registered")


def test_bulk_export_selected_rows(world, client):
    ana = RegistrationFactory(camp=world.camp, person=PersonFactory(name="Ana"))
    RegistrationFactory(camp=world.camp, person=PersonFactory(name="Bruno"))
    client.force_login(world.team)

    response = client.post(f"{world.list_url}bulk/", {"action": "export_csv", "ids": [ana.pk]})

    assert [row[0] for row in read_csv(response)] == ["Name", "Ana"]
    assert AuditEntry.objects.get(action="registration.exported").details["selected"] is True


def test_team_sees_one_registration_with_its_needs(world, client):
    registration = RegistrationFactory(camp=world.camp, person=world.other.person, travel_needs="Flying in from Lisbon")
    client.force_login(world.team)

    response = client.get(f"{world.list_url}{registration.pk}/")

    assert "Flying in from Lisbon" in response.content.decode()
    assert AuditEntry.objects.filter(action="registration.needs_viewed").count() == 1


def test_attendance_is_saved_in_one_post(world, client):
    session = SessionFactory(camp=world.camp, title="Advocacy in Brussels")
    ana, bea, cid = (RegistrationFactory(camp=world.camp) for _ in range(3))
    RegistrationFactory(camp=world.camp, status=Registration.Status.CANCELLED)
    AttendanceFactory(session=session, person=bea.person, present=True)
    client.force_login(world.team)
    url = f"/team/camps/{world.camp.slug}/attendance/"

    page = client.get(f"{url}?session={session.pk}")
    response = client.post(url, {"session": session.pk, "present": [ana.person_id, cid.person_id]}, follow=True)

    recorded = dict(Attendance.objects.filter(session=session).values_list("person_id", "present"))
    assert len(page.context["sheet"]) == 3
    assert recorded == {ana.person_id: True, bea.person_id: False, cid.person_id: True}
    assert set(Attendance.objects.values_list("recorded_by", flat=True)) == {world.team.pk}
    assert "Attendance saved for 3 people." in response.content.decode()


def test_attendance_for_a_session_of_another_camp_is_404(world, client):
    other_session = SessionFactory()
    client.force_login(world.team)
    url = f"/team/camps/{world.camp.slug}/attendance/"

    assert client.get(f"{url}?session={other_session.pk}").status_code == 404
    assert client.post(url, {"session": other_session.pk}).status_code == 404


def test_attendance_query_count_does_not_grow_with_people(world, client, django_assert_max_num_queries):
    session = SessionFactory(camp=world.camp)
    client.force_login(world.team)
    url = f"/team/camps/{world.camp.slug}/attendance/?session={session.pk}"
    RegistrationFactory.create_batch(5, camp=world.camp)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for registration in RegistrationFactory.create_batch(45, camp=world.camp):
        AttendanceFactory(session=session, person=registration.person)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["sheet"]) == 50

    posted = {"session": session.pk, "present": [r.person_id for r in Registration.objects.all()[:10]]}
    with django_assert_max_num_queries(len(few.captured_queries) + 10):
        client.post(url, posted)
    assert Attendance.objects.filter(session=session, present=True).count() == 10


def test_admin_shows_needs_read_only_and_audits_the_view(world, client):
    registration = RegistrationFactory(camp=world.camp, person=world.other.person, dietary_needs="Lactose-free")
    world.team.is_staff = True
    world.team.save()
    client.force_login(world.team)

    response = client.get(f"/{settings.RARE_ADMIN_PATH}/programme/registration/{registration.pk}/change/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Lactose-free" in body
    assert 'name="dietary_needs"' not in body
    assert AuditEntry.objects.filter(action="registration.needs_viewed").count() == 1
