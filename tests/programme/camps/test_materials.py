import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from rare.core.models import AuditEntry
from rare.programme.models import Material, Membership
from tests.factories import MaterialFactory, SessionFactory
from tests.programme.camps.helpers import member

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def session(db):
    return SessionFactory(camp__slug="camp-3-budapest", title="Strategic litigation")


@pytest.fixture
def team(session):
    return member(session.camp.programme, Membership.Role.TEAM)


@pytest.fixture
def participant(session):
    return member(session.camp.programme)


def add_url(session) -> str:
    return f"/camps/{session.camp.slug}/sessions/{session.pk}/materials/"


def page_url(session) -> str:
    return f"/camps/{session.camp.slug}/sessions/{session.pk}/"


def download_url(material) -> str:
    return f"/camps/{material.session.camp.slug}/sessions/{material.session_id}/materials/{material.pk}/"


def upload(client, session, name: str, data: bytes, visibility: str = "members", **extra):
    form = {"title": "Handout", "visibility": visibility, "file": SimpleUploadedFile(name, data), **extra}
    return client.post(add_url(session), form)


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}document.xml", "<document/>")
    return buffer.getvalue()


def open_document(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_team_uploads_a_pdf_that_is_stored_encrypted(client, session, team, settings):
    client.force_login(team)

    response = upload(client, session, "slides.pdf", PDF)

    assert response.status_code == 302
    material = Material.objects.get()
    assert (material.title, material.size, material.content_type) == ("Handout", len(PDF), "application/pdf")
    on_disk = (Path(settings.MEDIA_ROOT) / "sealed" / material.file.name).read_bytes()
    assert PDF not in on_disk
    assert b"%PDF" not in on_disk
    entry = AuditEntry.objects.get(action="material.uploaded")
    assert entry.target_id == str(material.pk)


def test_download_is_an_attachment_of_the_plaintext(client, session, team):
    client.force_login(team)
    upload(client, session, "slides.pdf", PDF)
    material = Material.objects.get()

    response = client.get(download_url(material))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="slides.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.txt", "Grüße aus Budapest\n".encode()),
        ("notes.md", b"# Notes\n\n- one\n"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
        ("report.docx", office_file("word/")),
        ("budget.xlsx", office_file("xl/")),
        ("deck.pptx", office_file("ppt/")),
        ("report.odt", open_document("application/vnd.oasis.opendocument.text")),
        ("budget.ods", open_document("application/vnd.oasis.opendocument.spreadsheet")),
        ("deck.odp", open_document("application/vnd.oasis.opendocument.presentation")),
    ],
)
def test_every_allowed_type_is_accepted(client, session, team, name, data):
    client.force_login(team)
    assert upload(client, session, name, data).status_code == 302
    assert Material.objects.get().file.name.endswith(name.rsplit(".", 1)[1])


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "Files of this type cannot be uploaded"),
        ("page.html", b"<script>alert(1)</script>", "Files of this type cannot be uploaded"),
        ("slides.pdf", b"MZ\x90\x00 not a pdf", "The file&#x27;s content is not a PDF file"),
        ("photo.png", PDF, "The file&#x27;s content is not a PNG file"),
        ("report.docx", office_file("xl/"), "The file&#x27;s content is not a DOCX file"),
        ("report.odt", open_document("application/vnd.oasis.opendocument.spreadsheet"), "not a ODT file"),
        ("notes.txt", b"\x00\x01binary", "The file&#x27;s content is not a TXT file"),
    ],
)
def test_other_files_are_refused_with_a_clear_message(client, session, team, name, data, message):
    client.force_login(team)

    response = upload(client, session, name, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Material.objects.count() == 0


def test_files_over_the_size_limit_are_refused(client, session, team, settings):
    settings.RARE_MAX_UPLOAD_BYTES = 1024
    client.force_login(team)

    response = upload(client, session, "big.txt", b"a" * 2000)

    assert response.status_code == 400
    assert "The file is too large (2.0\xa0KB); the limit is 1.0\xa0KB." in response.content.decode()
    assert Material.objects.count() == 0


def test_a_link_can_be_added_instead_of_a_file(client, session, team):
    client.force_login(team)

    response = client.post(
        add_url(session), {"title": "Court ruling", "visibility": "public", "link": "https://example.org/ruling"}
    )

    assert response.status_code == 302
    assert Material.objects.get().link == "https://example.org/ruling"
    assert 'href="https://example.org/ruling"' in client.get(page_url(session)).content.decode()


def test_a_speaker_may_upload_and_other_participants_may_not(client, session, participant):
    speaker = member(session.camp.programme)
    session.speakers.add(speaker.person)

    client.force_login(participant)
    assert upload(client, session, "a.txt", b"mine").status_code == 404
    assert 'id="add-material"' not in client.get(page_url(session)).content.decode()

    client.force_login(speaker)
    assert 'id="add-material"' in client.get(page_url(session)).content.decode()
    assert upload(client, session, "a.txt", b"mine").status_code == 302
    assert Material.objects.get().uploaded_by == speaker


def test_a_visitor_is_sent_to_sign_in_before_uploading(client, session):
    response = upload(client, session, "a.txt", b"x")
    assert response["Location"].startswith("/accounts/login/")
    assert Material.objects.count() == 0


@pytest.fixture
def three_files(session):
    def make(title: str, visibility: str) -> Material:
        return MaterialFactory(
            session=session, title=title, visibility=visibility, link="", file=ContentFile(b"data", name="f.txt")
        )

    return {v: make(f"{v} file", v) for v in ("public", "members", "restricted")}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("visitor", ["public file"]),
        ("participant", ["members file", "public file"]),
        ("team", ["members file", "public file"]),
        ("named", ["members file", "public file", "restricted file"]),
    ],
)
def test_each_file_has_its_own_visibility(client, session, three_files, who, sees):
    if who != "visitor":
        role = Membership.Role.TEAM if who == "team" else Membership.Role.PARTICIPANT
        user = member(session.camp.programme, role)
        if who == "named":
            three_files["restricted"].allowed_people.add(user.person)
        client.force_login(user)

    body = client.get(page_url(session)).content.decode()

    assert [t for t in ("members file", "public file", "restricted file") if t in body] == sees
    for visibility, material in three_files.items():
        expected = 200 if f"{visibility} file" in sees else 404
        assert client.get(download_url(material)).status_code == expected


def test_restricted_downloads_are_audited(client, session, three_files):
    user = member(session.camp.programme)
    three_files["restricted"].allowed_people.add(user.person)
    client.force_login(user)

    client.get(download_url(three_files["restricted"]))
    client.get(download_url(three_files["public"]))

    assert list(AuditEntry.objects.filter(action="material.downloaded").values_list("target_id", flat=True)) == [
        str(three_files["restricted"].pk)
    ]
    assert AuditEntry.objects.filter(action="record.viewed").count() == 1


def test_a_material_is_reached_only_through_its_own_session(client, session, three_files):
    other = SessionFactory(camp=session.camp)
    material = three_files["public"]
    assert client.get(f"/camps/{session.camp.slug}/sessions/{other.pk}/materials/{material.pk}/").status_code == 404


def test_a_restricted_upload_names_the_uploader_and_speakers(client, session, team):
    speaker = member(session.camp.programme)
    session.speakers.add(speaker.person)
    client.force_login(team)

    upload(client, session, "secret.txt", b"only for us", visibility="restricted")

    material = Material.objects.get()
    assert set(material.allowed_people.all()) == {team.person, speaker.person}
    assert client.get(download_url(material)).status_code == 200


def test_only_groups_the_uploader_may_see_are_offered(client, session, team):
    from rare.alliance.models import WorkingGroup

    WorkingGroup.objects.create(programme=session.camp.programme, slug="open", name="Open group", visibility="public")
    WorkingGroup.objects.create(
        programme=session.camp.programme, slug="hidden", name="Hidden group", visibility="restricted"
    )
    client.force_login(team)

    body = client.get(page_url(session)).content.decode()

    assert "Open group" in body
    assert "Hidden group" not in body
