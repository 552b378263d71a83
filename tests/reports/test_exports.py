"""Exports of the main lists: CSV streamed, XLSX direct or prepared in the background, visibility applied,
and memory that does not grow with the number of rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tracemalloc

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rare.community.models import Organisation
from rare.core.models import AuditEntry
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from rare.reports import exports
from rare.reports.models import ExportJob
from rare.solidarity.models import Alert
from tests.factories import AlertFactory, MembershipFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role


def member(role=Role.TEAM):
    user = UserFactory()
    MembershipFactory(person=PersonFactory(user=user), role=role)
    return user


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_alert_export_holds_what_the_member_may_see_and_nothing_runs_in_a_spreadsheet(client):
    team = member()
    AlertFactory(title="=HYPERLINK(evil)", visibility=Visibility.MEMBERS)
    AlertFactory(title="Named elsewhere", visibility=Visibility.RESTRICTED)
    client.force_login(team)

    rows = csv_rows(client.get(reverse("reports:export_csv", kwargs={"name": "alerts"})))

    assert rows[0][:3] == ["Title", "Country", "Date of the attack"]
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(evil)"]
    assert AuditEntry.objects.filter(action="export.downloaded").count() == 1

    client.force_login(member(Role.DUTY_OFFICER))
    titles = {row[0] for row in csv_rows(client.get(reverse("reports:export_csv", kwargs={"name": "alerts"})))[1:]}
    assert titles == {"'=HYPERLINK(evil)", "Named elsewhere"}


def test_a_short_list_comes_as_a_spreadsheet_at_once(client):
    client.force_login(member())
    Organisation.objects.all().delete()
    OrganisationFactory(name="Rights Watch Sofia", country="BG")
    response = client.get(reverse("reports:export_xlsx", kwargs={"name": "organisations"}))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["Name", "Country"]
    assert [row[:2] for row in rows[1:]] == [["Rights Watch Sofia", "Bulgaria"]]


def test_a_long_list_is_prepared_in_the_background_for_its_requester_only(
    client, settings, monkeypatch, django_capture_on_commit_callbacks, tasks_run_now
):
    monkeypatch.setattr(exports, "DIRECT_XLSX_ROWS", 3)
    monkeypatch.setattr("rare.reports.views.DIRECT_XLSX_ROWS", 3)
    monkeypatch.setattr(exports, "CHUNK", 2)
    team = member()
    OrganisationFactory.create_batch(4)
    total = Organisation.objects.count()
    client.force_login(team)
    url = reverse("reports:export_xlsx", kwargs={"name": "organisations"})

    page = client.get(url).content.decode()
    assert "This list has more than 3 rows" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    job = ExportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert (job.status, job.total, job.done, job.progress) == (ExportJob.Status.DONE, total, total, 100)
    assert "Download the spreadsheet" in client.get(job.get_absolute_url()).content.decode()
    download = client.get(reverse("reports:export_job_download", kwargs={"pk": job.pk}))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active
    assert len(list(sheet.iter_rows(values_only=True))) == total + 1

    client.force_login(member())
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:export_job_download", kwargs={"pk": job.pk})).status_code == 404


def test_progress_shows_while_the_list_is_written(client):
    team = member()
    job = ExportJob.objects.create(name="organisations", requested_by=team, total=40_000, done=10_000)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    client.force_login(team)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "10000 of 40000 rows written" in page
    assert 'value="25"' in page


def test_the_exports_page_counts_rows_only_up_to_a_bound(client, monkeypatch):
    """A list longer than the direct spreadsheet's limit reads "more than" it: never counted to the end,
    never wrong."""
    monkeypatch.setattr("rare.reports.views.DIRECT_XLSX_ROWS", 3)
    Organisation.objects.all().delete()
    Alert.objects.all().delete()
    OrganisationFactory.create_batch(4)
    AlertFactory.create_batch(2, visibility=Visibility.MEMBERS)
    client.force_login(member())

    page = client.get(reverse("reports:exports")).content.decode()
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>\s*<td>([^<]+)</td>', page))
    assert rows["Organisations in the directory"] == "more than 3"
    assert rows["Alerts"] == "2"


def test_only_the_team_exports(client):
    client.force_login(member(Role.PARTICIPANT))
    assert client.get(reverse("reports:exports")).status_code == 404
    assert client.get(reverse("reports:export_csv", kwargs={"name": "people"})).status_code == 404
    client.force_login(member())
    assert client.get(reverse("reports:export_csv", kwargs={"name": "no-such-list"})).status_code == 404


def _peak_while_streaming(client, rows: int) -> int:
    """Peak memory allocated while a list of `rows` alerts is exported as CSV."""
    Alert.objects.all().delete()
    Alert.objects.bulk_create(
        [
            Alert(
                title=f"Alert {n}",
                country="HU",
                occurred_on=dt.date(2026, 1, 1),
                category=Alert.Category.SMEAR_CAMPAIGN,
                visibility=Visibility.MEMBERS,
            )
            for n in range(rows)
        ],
        batch_size=5000,
    )
    tracemalloc.start()
    try:
        response = client.get(reverse("reports:export_csv", kwargs={"name": "alerts"}))
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert lines == rows + 1
    return peak


def test_exporting_twenty_times_more_rows_takes_no_more_memory(client, monkeypatch):
    """Rows are read a chunk at a time and written out as they come: the peak does not grow with the list.

    With chunks of 250 rows, 2,000 rows are 8 chunks and 40,000 rows are 160; an export that kept the
    rows it had written (even 30 bytes each) would need more than the 1 MiB allowed on top.
    """
    monkeypatch.setattr(exports, "CHUNK", 250)
    client.force_login(member())
    _peak_while_streaming(client, 10)  # the first request loads templates, translations and code
    small = _peak_while_streaming(client, 2_000)
    large = _peak_while_streaming(client, 40_000)
    assert large < small + 1024 * 1024, (small, large)


def test_every_registered_list_exports_as_csv_and_xlsx(client):
    from tests.factories import ActionFactory, MeasureFactory, PledgeFactory

    ActionFactory(title="Joint submission to the UPR")
    MeasureFactory(title="Foreign agents bill")
    PledgeFactory()
    client.force_login(member())
    for name in exports.EXPORTS:
        rows = csv_rows(client.get(reverse("reports:export_csv", kwargs={"name": name})))
        assert len(rows) >= 2, name
        response = client.get(reverse("reports:export_xlsx", kwargs={"name": name}))
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
        assert next(list(r) for r in sheet.iter_rows(values_only=True)) == rows[0], name
