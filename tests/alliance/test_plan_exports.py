"""The action plan exports for the steering group: CSV, XLSX and PDF, read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from rare.alliance.plan.models import Action
from rare.core import pdf
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    ObjectiveFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

Role = Membership.Role


def _member(role=Role.TEAM):
    person = PersonFactory(user=UserFactory())
    MembershipFactory(person=person, role=role)
    return person.user


@pytest.fixture
def plan():
    objective = ObjectiveFactory(title="An EU strategy for civil society", priority__title="Civic space")
    ActionFactory(
        objective=objective,
        title="Joint brief with four asks",
        owners=[OrganisationFactory(name="Hungarian Helsinki Committee"), OrganisationFactory(name="=HYPERLINK()")],
        status=Action.Status.IN_PROGRESS,
        progress=50,
        due_date=dt.date(2020, 5, 1),
    )
    ActionFactory(objective=objective, title="Meet the rapporteur", status=Action.Status.DONE, progress=100)
    ActionFactory(objective=objective, title="Restricted action", visibility=Visibility.RESTRICTED)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_csv_export_lists_the_visible_actions_with_safe_cells(client, plan):
    client.force_login(_member())

    response = client.get("/groups/plan/export.csv")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="action-plan-')
    rows = list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"))))
    assert rows[0] == [
        "Priority issue",
        "Objective",
        "Action",
        "Owner organisations",
        "Working group",
        "Due date",
        "Status",
        "Progress (%)",
        "Late",
    ]
    assert rows[1:] == [
        [
            "Civic space",
            "An EU strategy for civil society",
            "Joint brief with four asks",
            "'=HYPERLINK(), Hungarian Helsinki Committee",
            "",
            "2020-05-01",
            "in progress",
            "50",
            "yes",
        ],
        [
            "Civic space",
            "An EU strategy for civil society",
            "Meet the rapporteur",
            "",
            "",
            "2030-06-30",
            "done",
            "100",
            "no",
        ],
    ]


@pytest.mark.django_db
def test_xlsx_export_reads_back(client, plan):
    client.force_login(_member())

    response = client.get("/groups/plan/export.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(_body(response)), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][2] == "Action"
    assert [row[2] for row in rows[1:]] == ["Joint brief with four asks", "Meet the rapporteur"]
    assert [row[7] for row in rows[1:]] == [50, 100]


@pytest.mark.django_db
def test_pdf_export_is_a_pdf_with_the_action_titles(client, plan, tmp_path):
    client.force_login(_member())

    response = client.get("/groups/plan/export.pdf")

    body = _body(response)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF")
    text = _pdf_text(body, tmp_path)
    assert "Joint brief with four asks" in text
    assert "Meet the rapporteur" in text
    assert "Restricted action" not in text


def _pdf_text(body: bytes, folder) -> str:
    """The text of a PDF, read back by pdftotext (Debian's poppler-utils, which CI installs)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is not installed (apt-get install poppler-utils)")
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    source = folder / "plan.pdf"
    source.write_bytes(body)
    run = subprocess.run([pdftotext, "-layout", str(source), "-"], capture_output=True, check=True, timeout=60)  # noqa: S603
    return " ".join(run.stdout.decode().split())


def test_the_pdf_fetches_nothing():
    with pytest.raises(ValueError):
        pdf.refuse_fetch("https://example.org/font.woff")
    with pytest.raises(ValueError):
        pdf.refuse_fetch("file:///etc/passwd")


@pytest.mark.django_db
def test_only_the_team_exports(client, plan):
    client.force_login(_member(Role.PARTICIPANT))

    for fmt in ("csv", "xlsx", "pdf"):
        assert client.get(f"/groups/plan/export.{fmt}").status_code == 404


@pytest.mark.django_db
def test_an_unknown_format_is_a_404(client):
    client.force_login(_member())

    assert client.get("/groups/plan/export.docx").status_code == 404
