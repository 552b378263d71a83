"""Production mode refuses unsafe settings, one clear line per problem, before anything starts.

These run `rare check` in a child process with a controlled environment, the way an operator would:
no `.env` file, an empty data directory, only the variables each test sets.
"""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys

import pytest

from rare.core.config import production_problems

REFUSAL = "RARE refuses to start in production:"


def rare(*args: str, tmp_path, **variables: str) -> subprocess.CompletedProcess:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "RARE_DATA_DIR": str(tmp_path / "data"),
        "RARE_DOTENV": str(tmp_path / "no-such.env"),
        **variables,
    }
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "rare", *args],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def problem_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line.removeprefix("  - ") for line in result.stderr.splitlines() if line.startswith("  - ")]


@pytest.fixture(scope="module")
def encryption_key(tmp_path_factory) -> str:
    result = rare("generate-key", tmp_path=tmp_path_factory.mktemp("keygen"))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def production(encryption_key) -> dict[str, str]:
    """Settings an operator would use in production: everything safe."""
    return {
        "RARE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "RARE_ENCRYPTION_KEYS": encryption_key,
        "ALLOWED_HOSTS": "rare.example.org",
    }


def test_proper_production_settings_pass_the_deployment_checks(production, tmp_path):
    result = rare("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **production)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


WEAK_ENCRYPTION_KEY = base64.urlsafe_b64encode(bytes(32)).decode()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"DEBUG": "true"}, "DEBUG"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + "x1y2z3" * 10}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": "short-but-random-7Qx"}, "SECRET_KEY is weak"),
        ({"RARE_ENCRYPTION_KEYS": ""}, "RARE_ENCRYPTION_KEYS is not set"),
        ({"RARE_ENCRYPTION_KEYS": "not-a-key"}, "RARE_ENCRYPTION_KEYS entry 1 is not a 32-byte key"),
        ({"RARE_ENCRYPTION_KEYS": WEAK_ENCRYPTION_KEY}, "RARE_ENCRYPTION_KEYS entry 1 is weak"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS contains '*'"),
        ({"RARE_SECURE_COOKIES": "false"}, "RARE_SECURE_COOKIES"),
    ],
    ids=lambda value: next(iter(value)) if isinstance(value, dict) else None,
)
def test_production_refuses_an_unsafe_setting_with_a_message_naming_it(production, tmp_path, change, named):
    result = rare("check", tmp_path=tmp_path, **{**production, **change})

    lines = problem_lines(result)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == REFUSAL
    assert [named in line for line in lines] == [True], result.stderr
    assert "Traceback" not in result.stderr


def test_production_lists_every_problem_at_once_one_line_each(tmp_path):
    result = rare("check", tmp_path=tmp_path, RARE_ENV="production", DEBUG="true", RARE_SECURE_COOKIES="false")

    lines = problem_lines(result)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [REFUSAL, *(f"  - {line}" for line in lines)]
    assert [line.split(" ", 1)[0] for line in lines] == [
        "DEBUG",
        "SECRET_KEY",
        "RARE_ENCRYPTION_KEYS",
        "ALLOWED_HOSTS",
        "Cookies",
    ]
    assert "RARE_SECURE_COOKIES" in lines[-1]


def test_an_unknown_environment_name_is_refused(tmp_path):
    result = rare("check", tmp_path=tmp_path, RARE_ENV="prod")

    assert result.returncode == 2
    assert "RARE_ENV must be development, test or production, not 'prod'" in result.stderr
    assert "Traceback" not in result.stderr


def test_development_needs_no_setup_and_keeps_its_secrets_private(tmp_path):
    first = rare("check", tmp_path=tmp_path)
    secret_file = tmp_path / "data" / "secret_key"
    key_file = tmp_path / "data" / "encryption_key"
    secret = secret_file.read_text()
    second = rare("check", tmp_path=tmp_path)

    assert (first.returncode, second.returncode) == (0, 0)
    assert (secret_file.stat().st_mode & 0o777, key_file.stat().st_mode & 0o777) == (0o600, 0o600)
    assert secret_file.read_text() == secret
    assert len(base64.urlsafe_b64decode(key_file.read_text())) == 32


# --- production_problems itself ---------------------------------------------------------------


def safe(**changes) -> dict:
    settings = {
        "debug": False,
        "secret_key": secrets.token_urlsafe(50),
        "encryption_keys": [base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()],
        "allowed_hosts": ["rare.example.org"],
        "secure_cookies": True,
        "ssl_redirect": True,
        "hsts_seconds": 63072000,
    }
    return {**settings, **changes}


def test_safe_settings_have_no_problems():
    assert production_problems(**safe()) == []


def test_an_older_key_kept_for_reading_is_checked_too():
    fresh = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    problems = production_problems(**safe(encryption_keys=[fresh, "too-short"]))

    assert [problem.split(":")[0] for problem in problems] == [
        "RARE_ENCRYPTION_KEYS entry 2 is not a 32-byte key in URL-safe base64"
    ]


@pytest.mark.parametrize(
    ("change", "first_words"),
    [
        ({"debug": True}, "DEBUG is on"),
        ({"secret_key": ""}, "SECRET_KEY is not set"),
        ({"secret_key": "a" * 60}, "SECRET_KEY is weak"),
        ({"secret_key": "changeme-" + secrets.token_urlsafe(50)}, "SECRET_KEY is weak"),
        ({"encryption_keys": []}, "RARE_ENCRYPTION_KEYS is not set"),
        ({"encryption_keys": ["%%%"]}, "RARE_ENCRYPTION_KEYS entry 1 is not a 32-byte key in URL-safe base64"),
        ({"encryption_keys": [base64.urlsafe_b64encode(b"k" * 16).decode()]}, "RARE_ENCRYPTION_KEYS entry 1 is not"),
        ({"encryption_keys": [WEAK_ENCRYPTION_KEY]}, "RARE_ENCRYPTION_KEYS entry 1 is weak"),
        ({"allowed_hosts": []}, "ALLOWED_HOSTS is empty"),
        ({"allowed_hosts": ["rare.example.org", "*"]}, "ALLOWED_HOSTS contains '*'"),
        ({"secure_cookies": False}, "Cookies are not secure"),
        ({"ssl_redirect": False}, "HTTPS redirect is off"),
        ({"hsts_seconds": 3600}, "RARE_HSTS_SECONDS is below one year"),
    ],
)
def test_each_unsafe_setting_is_one_problem(change, first_words):
    problems = production_problems(**safe(**change))

    assert len(problems) == 1, problems
    assert problems[0].startswith(first_words)


def test_the_secret_key_may_not_double_as_the_encryption_key():
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode() + secrets.token_urlsafe(8)
    problems = production_problems(**safe(secret_key=key, encryption_keys=[key]))

    assert "RARE_ENCRYPTION_KEYS must not contain the SECRET_KEY." in problems
