import base64

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import connection

from rare.accounts.models import MemberSession
from rare.core import crypto
from rare.core.config import new_encryption_key

KEY_A = new_encryption_key()
KEY_B = new_encryption_key()


@pytest.fixture(autouse=True)
def _keys(settings, tmp_path):
    settings.RARE_ENCRYPTION_KEYS = [KEY_A]
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_text_round_trip_with_version_key_id_and_random_nonce():
    first = crypto.encrypt_text("Lives at Rue de la Loi 12", context="solidarity.alert.details")
    second = crypto.encrypt_text("Lives at Rue de la Loi 12", context="solidarity.alert.details")

    assert first != second
    raw = base64.urlsafe_b64decode(first)
    assert raw[0] == crypto.VERSION
    assert raw[1:9] == crypto.newest_key_id()
    assert b"Rue de la Loi" not in raw
    assert crypto.decrypt_text(first, context="solidarity.alert.details") == "Lives at Rue de la Loi 12"


def test_bytes_round_trip():
    token = crypto.encrypt_bytes(b"\x00\xffevidence", context="evidence")
    assert crypto.decrypt_bytes(token, context="evidence") == b"\x00\xffevidence"


def test_a_value_moved_to_another_place_does_not_decrypt():
    token = crypto.encrypt_text("travel needs", context="programme.registration.travel_needs")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(token, context="programme.registration.dietary_needs")


def test_a_changed_value_does_not_decrypt():
    raw = bytearray(crypto.encrypt_bytes(b"summary", context="c"))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(bytes(raw), context="c")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text("not a token at all", context="c")


def test_older_keys_still_decrypt_and_dropped_keys_are_named(settings):
    token = crypto.encrypt_text("secret", context="c")
    settings.RARE_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    assert crypto.decrypt_text(token, context="c") == "secret"
    assert crypto.is_current(token) is False
    assert crypto.is_current(crypto.encrypt_text("secret", context="c")) is True

    settings.RARE_ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(crypto.DecryptionError, match="not configured"):
        crypto.decrypt_text(token, context="c")


@pytest.mark.parametrize("keys", [[], ["too-short"], ["bm90IGEga2V5"]])
def test_missing_or_malformed_keys_are_a_clear_configuration_error(settings, keys):
    settings.RARE_ENCRYPTION_KEYS = keys
    with pytest.raises(ImproperlyConfigured, match="RARE_ENCRYPTION_KEYS"):
        crypto.encrypt_text("x", context="c")


def test_encrypted_field_stores_a_token_and_loads_plaintext():
    field = MemberSession._meta.get_field("session_key")
    assert field.crypto_context == "accounts.membersession.session_key"

    stored = field.get_prep_value("abc123sessionkey")

    assert stored != "abc123sessionkey"
    assert field.from_db_value(stored, None, connection) == "abc123sessionkey"
    assert field.get_prep_value("") == ""
    assert field.get_prep_value(None) is None


def test_encrypted_field_refuses_lookups_that_cannot_work():
    with pytest.raises(FieldError):
        MemberSession.objects.filter(session_key="abc")
    with pytest.raises(FieldError):
        MemberSession.objects.filter(session_key__icontains="abc")
    assert str(MemberSession.objects.filter(session_key__isnull=True).query)


def test_encrypted_field_cannot_be_unique():
    with pytest.raises(ImproperlyConfigured):
        crypto.EncryptedTextField(unique=True)


def test_storage_keeps_only_ciphertext_on_disk_and_reads_plaintext(tmp_path):
    storage = crypto.EncryptedFileSystemStorage()
    content = b"%PDF-1.7 evidence of the raid on 3 May" * 100

    name = storage.save("evidence/raid.pdf", ContentFile(content))

    on_disk = (tmp_path / "media" / "sealed" / name).read_bytes()
    assert on_disk.startswith(crypto.FILE_MAGIC)
    assert b"evidence of the raid" not in on_disk
    with storage.open(name) as fh:
        assert fh.read() == content
    assert storage.size(name) == len(content)
    assert list(storage.sealed_names()) == [name]


def test_storage_binds_files_to_their_names(tmp_path):
    storage = crypto.EncryptedFileSystemStorage()
    first = storage.save("a.txt", ContentFile(b"first"))
    second = storage.save("b.txt", ContentFile(b"second"))
    root = tmp_path / "media" / "sealed"
    (root / first).write_bytes((root / second).read_bytes())

    with pytest.raises(crypto.DecryptionError):
        storage.open(first).read()


def test_storage_has_no_public_url():
    storage = crypto.EncryptedFileSystemStorage()
    name = storage.save("a.txt", ContentFile(b"x"))
    with pytest.raises(ValueError):
        storage.url(name)


def test_attachment_response_serves_decrypted_file_as_download():
    storage = crypto.EncryptedFileSystemStorage()
    name = storage.save("statement.txt", ContentFile(b"joint statement"))

    response = crypto.attachment_response(storage, name, filename="statement.txt")

    assert b"".join(response.streaming_content) == b"joint statement"
    assert response["Content-Disposition"] == 'attachment; filename="statement.txt"'
    assert "no-store" in response["Cache-Control"]
