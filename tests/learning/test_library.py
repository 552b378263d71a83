import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rare.core.models import AuditEntry
from rare.learning.models import Competency, Resource
from rare.programme.models import Membership
from tests.factories import ProgrammeFactory, ResourceFactory, SessionFactory
from tests.learning.helpers import member

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def titles(response) -> list[str]:
    return [r.title for r in response.context["page_obj"].object_list]


def test_the_list_shows_only_what_each_viewer_may_see(programme):
    ResourceFactory(title="Public toolkit", visibility="public")
    ResourceFactory(title="Members reading", visibility="members")
    named = member(programme)
    restricted = ResourceFactory(title="Restricted dossier", visibility="restricted")
    restricted.allowed_people.add(named.person)
    other = member(programme)

    assert titles(Client().get("/learning/library/")) == ["Public toolkit"]
    assert titles(signed_in(other).get("/learning/library/")) == ["Members reading", "Public toolkit"]
    assert titles(signed_in(named).get("/learning/library/")) == [
        "Members reading",
        "Public toolkit",
        "Restricted dossier",
    ]
    assert signed_in(other).get(f"/learning/library/{restricted.pk}/").status_code == 404
    assert signed_in(named).get(f"/learning/library/{restricted.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="record.viewed", target_id=str(restricted.pk)).count() == 1


def test_filters_by_competency_session_kind_and_title(programme):
    competency = Competency.objects.create(programme=programme, name="Campaigning and media", slug="media")
    session = SessionFactory(camp__programme=programme)
    tagged = ResourceFactory(title="Media toolkit")
    tagged.competencies.add(competency)
    linked = ResourceFactory(title="Hearing guide")
    linked.sessions.add(session)
    ResourceFactory(title="Annual report template", kind="file", url="")
    client = Client()

    assert titles(client.get("/learning/library/", {"competency": competency.pk})) == ["Media toolkit"]
    assert titles(client.get("/learning/library/", {"session": session.pk})) == ["Hearing guide"]
    assert titles(client.get("/learning/library/", {"kind": "file"})) == ["Annual report template"]
    assert titles(client.get("/learning/library/", {"q": "guide"})) == ["Hearing guide"]


def test_the_team_uploads_a_file_stored_encrypted_and_served_as_a_download(programme):
    team = member(programme, Membership.Role.TEAM)
    client = signed_in(team)
    competency = Competency.objects.create(programme=programme, name="Fundraising", slug="fundraising")
    response = client.post(
        "/learning/library/new/",
        {
            "title": "Donor map",
            "visibility": "members",
            "language": "EN",
            "competencies": [competency.pk],
            "file": SimpleUploadedFile("donor-map.pdf", PDF),
        },
    )
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert (resource.kind, resource.size, resource.language, list(resource.competencies.all())) == (
        "file",
        len(PDF),
        "en",
        [competency],
    )
    with open(resource.file.path, "rb") as stored:
        assert PDF not in stored.read()
    download = client.get(f"/learning/library/{resource.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert Client().get(f"/learning/library/{resource.pk}/download/").status_code == 404
    assert AuditEntry.objects.filter(action="resource.added", target_id=str(resource.pk)).count() == 1


def test_a_file_whose_content_does_not_match_its_name_is_refused(programme):
    client = signed_in(member(programme, Membership.Role.TEAM))
    response = client.post(
        "/learning/library/new/",
        {"title": "Fake", "visibility": "members", "file": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert response.status_code == 400
    assert Resource.objects.count() == 0


def test_experts_add_and_change_their_own_participants_cannot_add(programme):
    expert = member(programme, Membership.Role.EXPERT)
    participant = member(programme)
    link = {"title": "Litigation handbook", "visibility": "members", "url": "https://example.org/handbook"}

    assert signed_in(participant).post("/learning/library/new/", link).status_code == 404
    assert signed_in(expert).post("/learning/library/new/", link).status_code == 302
    resource = Resource.objects.get()
    changed = signed_in(expert).post(
        f"/learning/library/{resource.pk}/edit/", {**link, "title": "Litigation handbook, 2nd edition"}
    )
    assert changed.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Litigation handbook, 2nd edition"
    someone_else = ResourceFactory(visibility="members")
    assert signed_in(expert).get(f"/learning/library/{someone_else.pk}/edit/").status_code == 404
    assert (
        signed_in(member(programme, Membership.Role.TEAM)).get(f"/learning/library/{someone_else.pk}/edit/").status_code
        == 200
    )


def test_a_restricted_resource_stays_visible_to_its_uploader(programme):
    expert = member(programme, Membership.Role.EXPERT)
    signed_in(expert).post(
        "/learning/library/new/",
        {"title": "Confidential notes", "visibility": "restricted", "url": "https://example.org/notes"},
    )
    resource = Resource.objects.get()
    assert list(resource.allowed_people.all()) == [expert.person]
    assert signed_in(expert).get(f"/learning/library/{resource.pk}/").status_code == 200
    assert signed_in(member(programme)).get(f"/learning/library/{resource.pk}/").status_code == 404


def test_the_list_does_not_grow_in_queries(programme):
    competency = Competency.objects.create(programme=programme, name="Advocacy", slug="advocacy")
    session = SessionFactory(camp__programme=programme)
    client = signed_in(member(programme))
    counts = []
    for rows in (3, 30):
        while Resource.objects.count() < rows:
            resource = ResourceFactory(visibility="members")
            resource.competencies.add(competency)
            resource.sessions.add(session)
        with CaptureQueriesContext(connection) as run:
            response = client.get("/learning/library/")
        assert response.status_code == 200
        counts.append(len(run))
    assert counts[0] == counts[1]


def test_replacing_a_file_with_a_link_removes_the_stored_file(programme, django_capture_on_commit_callbacks):
    from rare.learning.library import services

    team = member(programme, Membership.Role.TEAM)
    resource = services.add_resource(
        actor=team,
        title="Old slides",
        visibility="members",
        data=PDF,
        filename="old.pdf",
        content_type="application/pdf",
    )
    storage, name = resource.file.storage, resource.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_resource(
            resource=resource, actor=team, title="Slides online", visibility="members", url="https://example.org/s"
        )
    resource.refresh_from_db()
    assert (resource.kind, resource.file.name, resource.url) == ("link", "", "https://example.org/s")
    assert not storage.exists(name)
