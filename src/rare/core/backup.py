"""Encrypted backups of the whole platform: every table that holds data, and every uploaded file.

A backup is one file:

    RAREBACKUP 1 <backup id>\\n
    then chunks: 4-byte big-endian length, then `crypto.encrypt_bytes(plaintext)` of up to 1 MiB

The chunks, decrypted and joined, are a tar stream holding `manifest.json` (format, time, row counts
per model), the rows in JSON Lines (`data/<nnnn>-<app.model>-<part>.jsonl`, in dependency order, at
most `ROWS_PER_PART` rows per member so that neither writing nor reading holds a whole table in
memory) and the uploaded files as they are stored (`media/...`; encrypted uploads stay encrypted).

Each chunk is sealed with AES-256-GCM under the newest key of RARE_ENCRYPTION_KEYS, and its associated
data names the backup, the chunk's position and whether it is the last one: a chunk cannot be
changed, moved, swapped with another backup's or dropped, and a backup cut short is refused. Whoever
holds the file without the keys learns nothing but its size; keep the keys apart from the backups
(and keep every key a backup was made under until that backup is no longer needed).

Confidential fields are written in clear inside the encrypted stream and encrypted again under the
current key when restored. Rows are read inside one transaction (REPEATABLE READ on PostgreSQL), so
the backup is a consistent picture even while the platform runs. Left out on purpose: content types
and permissions (migrations recreate them; rows refer to them by natural key), sessions (everyone
signs in again), the task queue (its work is recorded in our own tables, e.g. deliveries) and the
directory's search index (rebuilt from the restored rows).

Restoring needs an empty database (migrated, no accounts): the data are loaded with constraint checks
deferred, checked at the end, sequences reset, all in one transaction; files are written after the
rows commit.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import struct
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from rare.core import crypto

FORMAT = 1
MAGIC = b"RAREBACKUP"
CHUNK_BYTES = 1 << 20
ROWS_PER_PART = 2000
LENGTH = struct.Struct(">I")
# Tables whose rows are recreated by migrations or are not worth keeping (see the module docstring).
LEFT_OUT = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "django_tasks_database.dbtaskresult",
    "community.searchdocument",  # derived from people and organisations: `rare restore` rebuilds it
}


class BackupError(Exception):
    """The backup cannot be read or restored; the message says why in one sentence."""


# --- Encrypted chunk stream ----------------------------------------------------------------------


def _context(backup_id: str, index: int, last: bool) -> str:
    return f"backup:{backup_id}:{index}:{'last' if last else 'more'}"


class _SealingWriter(io.RawIOBase):
    """A write-only file that seals what it is given in chunks and writes them to `out`."""

    def __init__(self, out: BinaryIO, backup_id: str):
        self.out = out
        self.backup_id = backup_id
        self.buffer = bytearray()
        self.index = 0
        self.finished = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK_BYTES:
            self._emit(bytes(self.buffer[:CHUNK_BYTES]), last=False)
            del self.buffer[:CHUNK_BYTES]
        return len(data)

    def _emit(self, plaintext: bytes, *, last: bool) -> None:
        token = crypto.encrypt_bytes(plaintext, context=_context(self.backup_id, self.index, last))
        self.out.write(LENGTH.pack(len(token)))
        self.out.write(token)
        self.index += 1

    def finish(self) -> None:
        if not self.finished:
            self._emit(bytes(self.buffer), last=True)
            self.buffer.clear()
            self.finished = True


class _OpeningReader(io.RawIOBase):
    """A read-only file over the decrypted chunks of a backup; refuses a changed or truncated one."""

    def __init__(self, source: BinaryIO):
        self.source = source
        self.backup_id = _read_header(source)
        self.index = 0
        self.pending = b""
        self.ended = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> bytes:
        prefix = self.source.read(LENGTH.size)
        if len(prefix) < LENGTH.size:
            raise BackupError("The backup is cut short: its last part is missing.")
        (length,) = LENGTH.unpack(prefix)
        token = self.source.read(length)
        if len(token) < length:
            raise BackupError("The backup is cut short: its last part is missing.")
        for last in (False, True):
            try:
                plaintext = crypto.decrypt_bytes(token, context=_context(self.backup_id, self.index, last))
            except crypto.DecryptionError as error:
                if "not configured" in str(error):
                    raise BackupError(str(error)) from None
                continue
            self.index += 1
            if last:
                self.ended = True
                if self.source.read(1):
                    raise BackupError("The backup has data after its last part: it was changed.")
            return plaintext
        raise BackupError("The backup was changed, or its parts were reordered (a part failed its check).")

    def readinto(self, target) -> int:
        while not self.pending and not self.ended:
            self.pending = self._next_chunk()
        count = min(len(target), len(self.pending))
        target[:count] = self.pending[:count]
        self.pending = self.pending[count:]
        return count


def _read_header(source: BinaryIO) -> str:
    line = source.readline(200)
    parts = line.rstrip(b"\n").split(b" ")
    if len(parts) != 3 or parts[0] != MAGIC:
        raise BackupError("This file is not a RARE backup.")
    if parts[1] != str(FORMAT).encode():
        raise BackupError(f"This backup has format {parts[1].decode(errors='replace')}; this version reads {FORMAT}.")
    return parts[2].decode("ascii")


# --- What is backed up ------------------------------------------------------------------------------


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model with a table of its own, parents before the rows that point to them."""
    chosen = [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in LEFT_OUT
        and not model._meta.auto_created
    ]
    app_list = {}
    for model in chosen:
        app_list.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    return serializers.sort_dependencies(app_list.items(), allow_cycles=True)


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


@dataclass
class Report:
    path: Path | None = None
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


Progress = Callable[[str], None] | None


def _say(progress: Progress, message: str) -> None:
    if progress is not None:
        progress(message)


# --- Writing ----------------------------------------------------------------------------------------


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _parts(model: type[models.Model]) -> Iterator[bytes]:
    """The model's rows as JSON Lines, ROWS_PER_PART at a time, ordered by primary key."""
    serializer = serializers.get_serializer("jsonl")()
    rows = model._base_manager.order_by("pk").iterator(chunk_size=ROWS_PER_PART)
    batch: list[models.Model] = []
    for row in rows:
        batch.append(row)
        if len(batch) == ROWS_PER_PART:
            yield serializer.serialize(batch, use_natural_foreign_keys=True).encode()
            batch = []
    if batch:
        yield serializer.serialize(batch, use_natural_foreign_keys=True).encode()


def write_backup(out: BinaryIO, *, progress: Progress = None) -> Report:
    """Write a backup of the database and the uploaded files to `out` (an open binary file)."""
    backup_id = secrets.token_hex(16)
    out.write(b" ".join([MAGIC, str(FORMAT).encode(), backup_id.encode()]) + b"\n")
    sealer = _SealingWriter(out, backup_id)
    report = Report()
    with tarfile.open(fileobj=sealer, mode="w|") as archive:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            for position, model in enumerate(backed_up_models()):
                label = model._meta.label_lower
                count = 0
                for part, data in enumerate(_parts(model)):
                    _add_bytes(archive, f"data/{position:04d}-{label}-{part:05d}.jsonl", data)
                    count += data.count(b"\n")
                report.rows[label] = count
                if count:
                    _say(progress, f"{label}: {count} rows")
        root = media_root()
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames.sort()
                for filename in sorted(filenames):
                    path = Path(dirpath) / filename
                    archive.add(str(path), arcname="media/" + path.relative_to(root).as_posix(), recursive=False)
                    report.files += 1
        _say(progress, f"uploaded files: {report.files}")
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "rows": report.rows,
            "files": report.files,
        }
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    sealer.finish()
    return report


def backup_to(path: Path, *, progress: Progress = None) -> Report:
    """Write a backup to `path` (created with owner-only permissions, never over an existing file)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            report = write_backup(out, progress=progress)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    report.path = path
    return report


# --- Reading ----------------------------------------------------------------------------------------


def database_is_empty() -> bool:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return not user_model._base_manager.exists()


def _safe_member_path(root: Path, name: str) -> Path:
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise BackupError(f"The backup names a file outside the media folder ({name}).")
    return root / relative


def restore_from(source: BinaryIO, *, progress: Progress = None) -> Report:
    """Load a backup into this (migrated, empty) database and media folder."""
    if not database_is_empty():
        raise BackupError("The database already holds accounts: restore only into a new, empty database.")
    reader = io.BufferedReader(_OpeningReader(source), buffer_size=CHUNK_BYTES)
    report = Report()
    loaded_models: set[type[models.Model]] = set()
    media_root().mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".rare-restore-", dir=media_root().parent))
    waiting: list[serializers.base.DeserializedObject] = []
    try:
        with transaction.atomic(), connection.constraint_checks_disabled():
            with tarfile.open(fileobj=reader, mode="r|") as archive:
                for member in archive:
                    if member.name.startswith("data/") and member.isfile():
                        data = archive.extractfile(member).read().decode()
                        for item in serializers.deserialize("jsonl", data, handle_forward_references=True):
                            item.save()
                            if item.deferred_fields:
                                waiting.append(item)
                            loaded_models.add(type(item.object))
                            label = item.object._meta.label_lower
                            report.rows[label] = report.rows.get(label, 0) + 1
                    elif member.name.startswith("media/") and member.isfile():
                        target = _safe_member_path(staging, member.name.removeprefix("media/"))
                        target.parent.mkdir(parents=True, exist_ok=True)
                        with archive.extractfile(member) as stream, open(target, "wb") as fh:
                            shutil.copyfileobj(stream, fh)
                        report.files += 1
                    elif member.name == "manifest.json":
                        manifest = json.loads(archive.extractfile(member).read())
                        if manifest.get("format") != FORMAT:
                            raise BackupError("The backup's manifest names an unknown format.")
            # Read to the end so that the last part is checked too (a backup cut short is refused).
            while reader.read(CHUNK_BYTES):
                pass
            for item in waiting:
                item.save_deferred_fields()
            connection.check_constraints(table_names=[m._meta.db_table for m in loaded_models])
            statements = connection.ops.sequence_reset_sql(no_style(), list(loaded_models))
            if statements:
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
        _say(progress, f"rows: {report.total_rows}")
        root = media_root()
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                target = root / path.relative_to(staging)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
        _say(progress, f"uploaded files: {report.files}")
    except tarfile.TarError as error:
        raise BackupError(f"The backup's contents cannot be read ({error}).") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report
