import pytest

from tests.factories import CampFactory, PersonFactory, ProgrammeFactory, SessionFactory


@pytest.mark.django_db
def test_camp_list_shows_the_current_programmes_camps_in_order(client):
    programme = ProgrammeFactory(name="RARE cohort 1")
    CampFactory(programme=programme, number=2, title="Vienna camp")
    CampFactory(programme=programme, number=1, title="Online kick-off", format="online")
    CampFactory(title="A camp of another programme", programme=ProgrammeFactory(status="completed"))

    response = client.get("/camps/")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Camp 1: Online kick-off") < body.index("Camp 2: Vienna camp")
    assert "A camp of another programme" not in body


@pytest.mark.django_db
def test_camp_list_query_count_does_not_grow_with_camps(client, django_assert_max_num_queries):
    programme = ProgrammeFactory()
    CampFactory.create_batch(3, programme=programme)
    with django_assert_max_num_queries(6) as few:
        client.get("/camps/")
    CampFactory.create_batch(30, programme=programme)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/camps/")
    assert response.content.decode().count('class="card"') == 33


@pytest.mark.django_db
def test_camp_page_shows_the_agenda_by_day_with_speakers(client, django_assert_max_num_queries):
    camp = CampFactory(title="Brussels", slug="camp-7-brussels")
    speaker = PersonFactory(name="Ada Example")
    session = SessionFactory(camp=camp, title="Meeting the LIBE committee", kind="side_event")
    session.speakers.add(speaker)
    for _ in range(20):
        SessionFactory(camp=camp).speakers.add(PersonFactory())

    with django_assert_max_num_queries(8):
        response = client.get("/camps/camp-7-brussels/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Meeting the LIBE committee" in body
    assert "Ada Example" in body
    assert "side-event" in body


@pytest.mark.django_db
def test_unknown_camp_is_404(client):
    assert client.get("/camps/no-such-camp/").status_code == 404
