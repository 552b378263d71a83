"""Demo data of the camps area: each camp's time zone, a report, and a few tiny session materials."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from rare.core.visibility import Visibility
from rare.demo import data
from rare.programme.models import Camp, Material, Session

REPORTS = {
    "camp-1-online-kick-off": (
        "## What happened\n\n"
        "Four afternoons on screen. Every participant presented their organisation and one fight they are in "
        "right now; the cohort agreed how it will work together.\n\n"
        "## What comes next\n\n"
        "- Needs assessment answers are due two weeks before the next camp.\n"
        "- The working groups meet online once a month."
    ),
}


def _tiny_pdf(title: str) -> bytes:
    """A minimal one-page PDF that says `title` (generated, a few hundred bytes)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# (camp slug, position of the session in the camp's agenda, title, visibility, kind of file)
MATERIALS = [
    ("camp-1-online-kick-off", 0, "Welcome slides", Visibility.PUBLIC, "pdf"),
    ("camp-1-online-kick-off", 0, "Participants' contact sheet", Visibility.MEMBERS, "txt"),
    ("camp-1-online-kick-off", 1, "Facilitation notes", Visibility.RESTRICTED, "md"),
    ("camp-1-online-kick-off", 1, "Further reading", Visibility.PUBLIC, "link"),
]


def _content(title: str, kind: str) -> tuple[bytes, str, str]:
    stem = title.lower().replace(" ", "-").replace("'", "")
    if kind == "pdf":
        return _tiny_pdf(title), f"{stem}.pdf", "application/pdf"
    if kind == "md":
        return f"# {title}\n\nDemo notes for the facilitators.\n".encode(), f"{stem}.md", "text/markdown"
    return f"{title}\n\nThis is a demo file.\n".encode(), f"{stem}.txt", "text/plain"


@transaction.atomic
def load_demo_camps() -> int:
    """Set the demo camps' time zones and reports and add their materials; running it again adds nothing."""
    for c in data.CAMPS:
        Camp.objects.filter(slug=c.slug).update(time_zone=c.time_zone)
    for slug, report in REPORTS.items():
        Camp.objects.filter(slug=slug, report="").update(report=report)
    uploader = get_user_model().objects.filter(email=data.TEAM_ACCOUNT).first()
    added = 0
    sessions: dict[str, list[Session]] = {}
    for slug, position, title, visibility, kind in MATERIALS:
        if slug not in sessions:
            sessions[slug] = list(Session.objects.filter(camp__slug=slug).order_by("starts_at", "pk"))
        if position >= len(sessions[slug]):
            continue
        session = sessions[slug][position]
        if Material.objects.filter(session=session, title=title).exists():
            continue
        material = Material(session=session, title=title, visibility=visibility, uploaded_by=uploader)
        if kind == "link":
            material.link = "https://www.europarl.europa.eu/committees/en/libe/home"
        else:
            body, name, content_type = _content(title, kind)
            material.file.save(name, ContentFile(body), save=False)
            material.size = len(body)
            material.content_type = content_type
        material.save()
        if visibility == Visibility.RESTRICTED:
            material.allowed_people.set(session.speakers.all())
        added += 1
    return added
