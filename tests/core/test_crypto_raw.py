"""Confidential values reach the database only as ciphertext, and survive a key rotation."""

import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from rare.accounts.models import MemberSession
from rare.core import crypto
from rare.core.config import new_encryption_key
from rare.core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KEY_A = new_encryption_key()
KEY_B = new_encryption_key()
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
SESSION_KEY = "q8v1zsessionkeyofanactivist42"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.RARE_ENCRYPTION_KEYS = [KEY_A]


def _raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - fixed table names
        return repr(cursor.fetchall())


def _confidential_rows():
    user = UserFactory()
    MemberSession.objects.create(user=user, key_hash="h" * 64, session_key=SESSION_KEY, device="Firefox on Linux")
    TOTP.activate(user, TOTP_SECRET)
    codes = RecoveryCodes.activate(user).generate_codes()
    return user, codes


def test_raw_database_holds_no_plaintext_of_encrypted_values():
    user, _ = _confidential_rows()

    assert SESSION_KEY not in _raw_rows("accounts_membersession")
    assert TOTP_SECRET not in _raw_rows("mfa_authenticator")
    assert MemberSession.objects.get(user=user).session_key == SESSION_KEY
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert decrypt(totp.data["secret"]) == TOTP_SECRET


def test_rotate_keys_moves_everything_to_the_newest_key(settings):
    user, codes = _confidential_rows()
    storage = crypto.EncryptedFileSystemStorage()
    name = storage.save("evidence/photo.jpg", ContentFile(b"\xff\xd8 photo of the police raid"))
    settings.RARE_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    out = io.StringIO()

    call_command("rotate_keys", batch_size=1, stdout=out)

    settings.RARE_ENCRYPTION_KEYS = [KEY_B]
    assert MemberSession.objects.get(user=user).session_key == SESSION_KEY
    assert decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]) == TOTP_SECRET
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert RecoveryCodes(recovery).generate_codes() == codes
    with storage.open(name) as fh:
        assert fh.read() == b"\xff\xd8 photo of the police raid"
    assert "accounts.MemberSession (session_key): 1 checked, 1 re-encrypted." in out.getvalue()
    assert "MFA secrets: 2 checked, 2 re-encrypted." in out.getvalue()
    assert "1 checked, 1 re-encrypted." in out.getvalue().split("files in")[1]
    assert AuditEntry.objects.get(action="keys.rotated").details["rotated"] == 4


def test_rotate_keys_twice_changes_nothing_the_second_time(settings):
    _confidential_rows()
    settings.RARE_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    call_command("rotate_keys", stdout=io.StringIO())
    before = _raw_rows("accounts_membersession"), _raw_rows("mfa_authenticator")
    out = io.StringIO()

    call_command("rotate_keys", stdout=out)

    assert (_raw_rows("accounts_membersession"), _raw_rows("mfa_authenticator")) == before
    assert "Done: 0 of 3 re-encrypted." in out.getvalue()
