"""Encryption at rest: AES-256-GCM under the platform's own keys (never derived from SECRET_KEY).

Keys come from settings.RARE_ENCRYPTION_KEYS: URL-safe base64 32-byte keys, newest first. The newest
one encrypts; all of them decrypt, so a new key can be put in front, `rare rotate-keys` run, and the
old key dropped afterwards.

A token (binary) is laid out as

    version (1 byte, 0x01) | key id (8 bytes: start of SHA-256 of the key) | nonce (12 bytes) | ciphertext+tag

and the associated data authenticated with it is the version byte, the key id and a *context* that
names where the value lives (for a model field "app.model.field"), so a ciphertext copied into
another field or file does not decrypt. Text tokens are the binary token in URL-safe base64.

`EncryptedTextField` stores text this way and decrypts transparently when a row is loaded. Its
stored values are random-looking: it cannot be searched, filtered, ordered or made unique by
content (only `isnull` lookups work). `EncryptedFileSystemStorage` encrypts every file it stores.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from rare.core.config import decode_encryption_key

VERSION = 1
KEY_ID_BYTES = 8
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = 1 + KEY_ID_BYTES
OVERHEAD = HEADER_BYTES + NONCE_BYTES + TAG_BYTES
FILE_MAGIC = b"RAREENC\x00"


class DecryptionError(Exception):
    """A token that cannot be decrypted: unknown key, wrong context, damaged or not a token at all."""


class Key:
    __slots__ = ("aead", "key_id")

    def __init__(self, raw: bytes):
        self.key_id = hashlib.sha256(raw).digest()[:KEY_ID_BYTES]
        self.aead = AESGCM(raw)


@functools.lru_cache(maxsize=8)
def _keyring_for(values: tuple[str, ...]) -> tuple[Key, ...]:
    if not values:
        raise ImproperlyConfigured(
            "RARE_ENCRYPTION_KEYS is empty: confidential data cannot be encrypted. "
            "Generate a key with `rare generate-key` and set RARE_ENCRYPTION_KEYS."
        )
    keys = []
    for index, value in enumerate(values, start=1):
        raw = decode_encryption_key(value)
        if raw is None:
            raise ImproperlyConfigured(
                f"RARE_ENCRYPTION_KEYS entry {index} is not a 32-byte key in URL-safe base64 "
                "(generate one with `rare generate-key`)."
            )
        keys.append(Key(raw))
    return tuple(keys)


def keyring() -> tuple[Key, ...]:
    """The configured keys, newest first (raises ImproperlyConfigured when there are none)."""
    return _keyring_for(tuple(getattr(settings, "RARE_ENCRYPTION_KEYS", None) or ()))


def newest_key_id() -> bytes:
    return keyring()[0].key_id


def _associated_data(header: bytes, context: str) -> bytes:
    if not context:
        raise ValueError("A context naming where the value lives is required.")
    return header + context.encode()


def encrypt_bytes(data: bytes, *, context: str) -> bytes:
    """Encrypt under the newest key; the token can only be decrypted with the same context."""
    key = keyring()[0]
    header = bytes([VERSION]) + key.key_id
    nonce = secrets.token_bytes(NONCE_BYTES)
    return header + nonce + key.aead.encrypt(nonce, data, _associated_data(header, context))


def decrypt_bytes(token: bytes, *, context: str) -> bytes:
    """Decrypt a token made by `encrypt_bytes` with any configured key; DecryptionError otherwise."""
    if len(token) < OVERHEAD or token[0] != VERSION:
        raise DecryptionError("This is not an encrypted value of a known format.")
    key_id = bytes(token[1:HEADER_BYTES])
    key = next((k for k in keyring() if k.key_id == key_id), None)
    if key is None:
        raise DecryptionError(
            f"The value was encrypted under a key that is not configured (key id {key_id.hex()}); "
            "add it back to RARE_ENCRYPTION_KEYS."
        )
    header = bytes(token[:HEADER_BYTES])
    nonce = bytes(token[HEADER_BYTES : HEADER_BYTES + NONCE_BYTES])
    try:
        return key.aead.decrypt(nonce, bytes(token[HEADER_BYTES + NONCE_BYTES :]), _associated_data(header, context))
    except InvalidTag:
        raise DecryptionError("The value was changed, or belongs to another place (context).") from None


def encrypt_text(plaintext: str, *, context: str) -> str:
    return base64.urlsafe_b64encode(encrypt_bytes(plaintext.encode(), context=context)).decode("ascii")


def decrypt_text(token: str, *, context: str) -> str:
    return decrypt_bytes(_decode_text_token(token), context=context).decode()


def _decode_text_token(token: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(token.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise DecryptionError("This is not an encrypted value of a known format.") from None


def key_id_of(token: bytes | str) -> bytes | None:
    """The id of the key a token was made with, or None if it is not a token."""
    raw = _decode_text_token(token) if isinstance(token, str) else token
    if len(raw) < OVERHEAD or raw[0] != VERSION:
        return None
    return bytes(raw[1:HEADER_BYTES])


def is_current(token: bytes | str) -> bool:
    """Whether a token is already encrypted under the newest key (rotation can skip it)."""
    try:
        return key_id_of(token) == newest_key_id()
    except DecryptionError:
        return False


# --- Model field --------------------------------------------------------------------------------


class EncryptedTextField(models.TextField):
    """Text stored encrypted (AES-256-GCM); decrypted when a row is loaded.

    The associated data is "app_label.model_name.field_name" unless `context` is given, so a value
    copied into another column does not decrypt. Not queryable: no filtering, searching, ordering or
    uniqueness by content; only `isnull` lookups are allowed. The empty string is stored as is.
    """

    description = _("Text encrypted at rest")

    def __init__(self, *args, context: str | None = None, **kwargs):
        self.explicit_context = context
        if kwargs.get("unique") or kwargs.get("db_index"):
            raise ImproperlyConfigured("An EncryptedTextField cannot be unique or indexed.")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.explicit_context:
            kwargs["context"] = self.explicit_context
        return name, path, args, kwargs

    @property
    def crypto_context(self) -> str:
        if self.explicit_context:
            return self.explicit_context
        return f"{self.model._meta.label_lower}.{self.name}"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(value, context=self.crypto_context)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value, context=self.crypto_context)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def get_transform(self, lookup_name):
        return None


def encrypted_fields() -> Iterator[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every concrete model with encrypted fields, and those fields."""
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField) and f.model is model]
        if fields:
            yield model, fields


# --- File storage -------------------------------------------------------------------------------


def _sealed_root() -> str:
    return os.path.join(settings.MEDIA_ROOT, "sealed")


@deconstructible(path="rare.core.crypto.EncryptedFileSystemStorage")
class EncryptedFileSystemStorage(FileSystemStorage):
    """Stores every file encrypted (whole-file AES-256-GCM), by default under MEDIA_ROOT/sealed.

    The file's name is part of the associated data, so files cannot be swapped with each other.
    Files are read whole into memory: uploads are limited to RARE_MAX_UPLOAD_BYTES (20 MB by
    default). There are no public URLs: serve files only through views that check access, as
    attachments (see `attachment_response`).
    """

    @functools.cached_property
    def base_location(self):
        return self._value_or_setting(self._location, _sealed_root())

    @staticmethod
    def context_for(name: str) -> str:
        return "file:" + name.replace("\\", "/")

    def _save(self, name, content):
        plaintext = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        if isinstance(plaintext, str):
            plaintext = plaintext.encode()
        saved = super()._save(name, ContentFile(self.seal(plaintext, name)))
        if saved != name:  # another upload took the name meanwhile: bind the file to its real name
            self.write_sealed(saved, self.seal(plaintext, saved))
        return saved

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Encrypted files are written only through save().")
        with open(self.path(name), "rb") as fh:
            blob = fh.read()
        data = self.unseal(blob, name)
        return ContentFile(data, name=name) if "b" in mode else ContentFile(data.decode(), name=name)

    def size(self, name):
        return max(os.path.getsize(self.path(name)) - len(FILE_MAGIC) - OVERHEAD, 0)

    def url(self, name):
        raise ValueError("Encrypted files have no public address; serve them through a view that checks access.")

    def seal(self, plaintext: bytes, name: str) -> bytes:
        return FILE_MAGIC + encrypt_bytes(plaintext, context=self.context_for(name))

    def unseal(self, blob: bytes, name: str) -> bytes:
        if not blob.startswith(FILE_MAGIC):
            raise DecryptionError(f"The file {name!r} is not encrypted.")
        return decrypt_bytes(blob[len(FILE_MAGIC) :], context=self.context_for(name))

    def write_sealed(self, name: str, blob: bytes) -> None:
        """Replace a stored file atomically (write aside, then rename over it)."""
        path = Path(self.path(name))
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, self.file_permissions_mode or 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def sealed_names(self) -> Iterator[str]:
        """Names (relative to the location) of every file stored here, in a stable order."""
        root = Path(self.location)
        if not root.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for filename in sorted(filenames):
                if filename.startswith(".") and filename.endswith(".tmp"):
                    continue
                yield (Path(dirpath) / filename).relative_to(root).as_posix()

    def rotate(self, name: str) -> bool:
        """Re-encrypt one file under the newest key; False if it already was."""
        path = Path(self.path(name))
        blob = path.read_bytes()
        if not blob.startswith(FILE_MAGIC):
            raise DecryptionError(f"The file {name!r} is not encrypted.")
        if is_current(blob[len(FILE_MAGIC) :]):
            return False
        self.write_sealed(name, self.seal(self.unseal(blob, name), name))
        return True


def attachment_response(storage: EncryptedFileSystemStorage, name: str, *, filename: str | None = None):
    """A download of a decrypted file, as an attachment that is never cached."""
    from django.http import FileResponse
    from django.utils.cache import add_never_cache_headers

    response = FileResponse(
        storage.open(name, "rb"),
        as_attachment=True,
        filename=filename or os.path.basename(name),
        content_type="application/octet-stream",
    )
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Key rotation -------------------------------------------------------------------------------


def rotate_field_values(model: type[models.Model], fields: list[EncryptedTextField], *, batch_size: int = 500):
    """Re-encrypt one model's encrypted fields under the newest key, batch by batch.

    Yields (checked, rotated) per batch. Each batch is one transaction that locks its rows, so an edit
    made at the same time is neither lost nor overwritten. Values already under the newest key are
    left alone, which makes a second run a no-op.
    """
    from django.db import transaction
    from django.db.models.functions import Cast

    raw_names = {f"_sealed_{field.attname}": field for field in fields}
    last_pk = None
    while True:
        with transaction.atomic():
            rows = model._base_manager.order_by("pk").select_for_update()
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            rows = list(
                rows.annotate(
                    **{alias: Cast(field.attname, models.TextField()) for alias, field in raw_names.items()}
                ).values("pk", *raw_names)[:batch_size]
            )
            if not rows:
                return
            rotated = 0
            for row in rows:
                changes = {
                    field.attname: decrypt_text(row[alias], context=field.crypto_context)
                    for alias, field in raw_names.items()
                    if row[alias] and not is_current(row[alias])
                }
                if changes:
                    model._base_manager.filter(pk=row["pk"]).update(**changes)
                    rotated += 1
            last_pk = rows[-1]["pk"]
        yield len(rows), rotated


def rotate_mfa_secrets(*, batch_size: int = 500):
    """Re-encrypt allauth's MFA secrets (TOTP secret, recovery-code seed) under the newest key.

    They are JSON values encrypted by the MFA adapter; values that are not our tokens (an adapter
    that does not encrypt) are left alone. Yields (checked, rotated) per batch.
    """
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator
    from django.db import transaction

    adapter = get_adapter()
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                Authenticator.objects.select_for_update()
                .filter(pk__gt=last_pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES])
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return
            rotated = 0
            for authenticator in batch:
                data = dict(authenticator.data)
                changed = False
                for key in ("secret", "seed"):
                    value = data.get(key)
                    if isinstance(value, str) and _rotatable(value):
                        data[key] = adapter.encrypt(adapter.decrypt(value))
                        changed = True
                codes = data.get("migrated_codes")
                if isinstance(codes, list) and any(isinstance(c, str) and _rotatable(c) for c in codes):
                    data["migrated_codes"] = [adapter.encrypt(adapter.decrypt(c)) for c in codes]
                    changed = True
                if changed:
                    Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
                    rotated += 1
            last_pk = batch[-1].pk
        yield len(batch), rotated


def _rotatable(token: str) -> bool:
    try:
        key_id = key_id_of(token)
    except DecryptionError:
        return False
    return key_id is not None and key_id != newest_key_id() and any(k.key_id == key_id for k in keyring())


def encrypted_storages() -> list[EncryptedFileSystemStorage]:
    """The encrypted file storages in use: the default one, configured ones and those of file fields."""
    from django.apps import apps
    from django.core.files.storage import storages

    found: dict[str, EncryptedFileSystemStorage] = {}
    default = EncryptedFileSystemStorage()
    found[default.location] = default
    for alias in settings.STORAGES:
        storage = storages[alias]
        if isinstance(storage, EncryptedFileSystemStorage):
            found.setdefault(storage.location, storage)
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            storage = getattr(field, "storage", None)
            if isinstance(storage, EncryptedFileSystemStorage):
                found.setdefault(storage.location, storage)
    return list(found.values())
