"""`rare backup` and `rare restore`: an encrypted copy of every row and uploaded file, restored into an
empty database and media folder, brings everything back; a changed or cut backup is refused."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from rare.accounts.models import User
from rare.community.models import Organisation, Person
from rare.community.search import search
from rare.core import backup
from rare.core.audit import record
from rare.core.models import AuditEntry, AuditPurgeGate
from rare.programme.models import Material, Registration, Session
from rare.solidarity.models import Alert
from tests.factories import (
    AlertFactory,
    MaterialFactory,
    OrganisationFactory,
    PersonFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _empty_everything(media: Path) -> None:
    """What a new server has: a migrated database without rows, and no uploaded files."""
    AuditPurgeGate.objects.create(purge_before=timezone.now() + dt.timedelta(days=36500))
    AuditEntry.objects.all().delete()
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media, ignore_errors=True)


def _world():
    organisation = OrganisationFactory(name="Rights Watch Sofia")
    user = UserFactory(email="milena@example.org", name="Milena")
    person = PersonFactory(user=user, organisation=organisation, name="Milena Petrova")
    session = SessionFactory(title="Strategic litigation clinic")
    session.speakers.add(person)
    registration = RegistrationFactory(person=person, camp=session.camp, dietary_needs="No gluten, no nuts")
    material = MaterialFactory(session=session, link="", file=ContentFile(b"%PDF-1.4 slides", name="slides.pdf"))
    alert = AlertFactory(title="Office raided", details="Names of the two staff detained")
    alert.affected_organisations.add(organisation)
    record("alert.reported", actor=user, target=alert)
    return registration, material, alert


def test_restore_into_an_empty_database_finds_everything(settings, tmp_path):
    registration, material, alert = _world()
    counts = {model: model.objects.count() for model in (User, Organisation, Person, Session, Registration, Alert)}
    audit_actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    path = tmp_path / "nightly.rarebackup"

    call_command("backup", output=str(path), verbosity=0)

    raw = path.read_bytes()
    assert raw.startswith(b"RAREBACKUP 1 ")
    for secret in (b"No gluten", b"Names of the two staff", b"Office raided", b"milena@example.org", b"%PDF-1.4"):
        assert secret not in raw

    _empty_everything(Path(settings.MEDIA_ROOT))
    assert not User.objects.exists()
    assert not Path(settings.MEDIA_ROOT, material.file.name).exists()

    call_command("restore", str(path), verbosity=0)

    assert {model: model.objects.count() for model in counts} == counts
    assert Registration.objects.get(pk=registration.pk).dietary_needs == "No gluten, no nuts"
    restored_alert = Alert.objects.get(pk=alert.pk)
    assert restored_alert.details == "Names of the two staff detained"
    assert list(restored_alert.affected_organisations.values_list("name", flat=True)) == ["Rights Watch Sofia"]
    assert Session.objects.get(pk=material.session_id).speakers.get().name == "Milena Petrova"
    assert list(search(Person.objects.all(), "milena").values_list("name", flat=True)) == ["Milena Petrova"]
    with Material.objects.get(pk=material.pk).file.open("rb") as fh:
        assert fh.read() == b"%PDF-1.4 slides"
    # The trail survives, with the restore itself added at the end; its targets still resolve.
    restored_actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert sorted(restored_actions[:-1]) == audit_actions
    assert restored_actions[-1] == "backup.restored"
    reported = AuditEntry.objects.get(action="alert.reported")
    assert reported.target_type.model_class() is Alert
    # New rows get fresh ids after the restored ones (sequences were moved on).
    assert OrganisationFactory().pk > registration.person.organisation_id


def test_restore_refuses_a_database_that_holds_accounts(tmp_path):
    UserFactory()
    path = tmp_path / "b.rarebackup"
    call_command("backup", output=str(path), verbosity=0)
    with pytest.raises(CommandError, match="empty database"):
        call_command("restore", str(path), verbosity=0)


def test_a_changed_or_cut_backup_is_refused_and_nothing_is_restored(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "CHUNK_BYTES", 4096)  # several parts even for a small data set
    _world()
    path = tmp_path / "b.rarebackup"
    call_command("backup", output=str(path), verbosity=0)
    raw = path.read_bytes()
    _empty_everything(Path(settings.MEDIA_ROOT))

    flipped = bytearray(raw)
    flipped[len(raw) // 2] ^= 0x01
    (tmp_path / "flipped.rarebackup").write_bytes(bytes(flipped))
    with pytest.raises(CommandError, match="changed"):
        call_command("restore", str(tmp_path / "flipped.rarebackup"), verbosity=0)

    header_end = raw.index(b"\n") + 1
    first_length = int.from_bytes(raw[header_end : header_end + 4], "big")
    (tmp_path / "cut.rarebackup").write_bytes(raw[: header_end + 4 + first_length])
    with pytest.raises(CommandError, match="cut short"):
        call_command("restore", str(tmp_path / "cut.rarebackup"), verbosity=0)

    assert not User.objects.exists()
    assert not Alert.objects.exists()


def test_a_backup_is_never_written_over_an_existing_file(tmp_path):
    path = tmp_path / "taken.rarebackup"
    path.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(path), verbosity=0)
    assert path.read_bytes() == b"keep me"


def test_every_table_with_data_is_in_the_backup():
    """A new model is backed up without anyone remembering to list it; only the documented ones are left out."""
    chosen = {model._meta.label_lower for model in backup.backed_up_models()}
    tables = set(connection.introspection.table_names())
    from django.apps import apps

    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.proxy or not model._meta.managed or model._meta.auto_created:
            continue
        assert model._meta.db_table in tables
        assert (label in chosen) != (label in backup.LEFT_OUT), label
