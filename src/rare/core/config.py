"""Helpers for settings: local secrets for development and the production safety checks.

This module is imported by `rare.settings`, so it must not import Django models or settings.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

WEAK_SECRET_MARKERS = ("django-insecure", "changeme", "change-me", "secret", "password", "demo")


class UnsafeConfiguration(ImproperlyConfigured):
    """Raised at start-up in production while a setting is unsafe."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"RARE refuses to start in production:\n{lines}")


def refuse(problems: list[str]) -> UnsafeConfiguration:
    return UnsafeConfiguration(problems)


def _read_or_create(path: Path, make) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        value = make()
        # Created with owner-only permissions; never overwritten once it exists.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(value)
        return value
    except FileExistsError:  # pragma: no cover - another process won the race
        return path.read_text().strip()


def local_secret(data_dir: Path, name: str, *, length: int = 50) -> str:
    """A random secret kept in the data directory, for development and the demo only."""
    return _read_or_create(data_dir / name, lambda: secrets.token_urlsafe(length))


def new_encryption_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def local_encryption_key(data_dir: Path) -> str:
    return _read_or_create(data_dir / "encryption_key", new_encryption_key)


def decode_encryption_key(value: str) -> bytes | None:
    """The 32 raw bytes of an AES-256 key given as URL-safe base64, or None if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(value.strip().encode())
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


def production_problems(
    *,
    debug: bool,
    secret_key: str,
    encryption_keys: list[str],
    allowed_hosts: list[str],
    secure_cookies: bool,
    ssl_redirect: bool,
    hsts_seconds: int,
) -> list[str]:
    """Every reason why these settings are unsafe for production, one clear sentence each."""
    problems = []
    if debug:
        problems.append("DEBUG is on: set DEBUG=false (it would show code and settings to anyone).")
    if not secret_key:
        problems.append("SECRET_KEY is not set: set it to a random string of at least 50 characters.")
    elif len(secret_key) < 50 or len(set(secret_key)) < 10 or any(m in secret_key.lower() for m in WEAK_SECRET_MARKERS):
        problems.append(
            "SECRET_KEY is weak: use at least 50 random characters "
            "(for example `python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    if not encryption_keys:
        problems.append(
            "RARE_ENCRYPTION_KEYS is not set: generate one with `rare generate-key` "
            "(it encrypts confidential data at rest and must not be the SECRET_KEY)."
        )
    else:
        for index, key in enumerate(encryption_keys, start=1):
            raw = decode_encryption_key(key)
            if raw is None:
                problems.append(
                    f"RARE_ENCRYPTION_KEYS entry {index} is not a 32-byte key in URL-safe base64: "
                    "generate one with `rare generate-key`."
                )
            elif len(set(raw)) < 8:
                problems.append(f"RARE_ENCRYPTION_KEYS entry {index} is weak: generate a random one.")
        if secret_key and secret_key in encryption_keys:
            problems.append("RARE_ENCRYPTION_KEYS must not contain the SECRET_KEY.")
    if not allowed_hosts:
        problems.append("ALLOWED_HOSTS is empty: list the host names the platform is served under.")
    elif "*" in allowed_hosts:
        problems.append("ALLOWED_HOSTS contains '*': list the host names explicitly.")
    if not secure_cookies:
        problems.append("Cookies are not secure: remove RARE_SECURE_COOKIES=false (HTTPS only).")
    if not ssl_redirect:
        problems.append("HTTPS redirect is off: remove RARE_SSL_REDIRECT=false.")
    if hsts_seconds < 31536000:
        problems.append("RARE_HSTS_SECONDS is below one year: remove it or set 63072000.")
    return problems
