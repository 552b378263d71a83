import pytest

from rare.accounts.models import User


@pytest.mark.real_password_hashing
@pytest.mark.django_db
def test_passwords_are_stored_as_argon2_hashes():
    user = User.objects.create_user(email="hashing@example.org", password="correct horse battery staple")
    user.refresh_from_db()
    assert user.password.split("$")[0] == "argon2"
    assert user.check_password("correct horse battery staple") is True
