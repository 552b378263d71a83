"""Steps that several browser tests share: signing in, running background tasks at once, reading e-mailed links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Background tasks (the e-mails) run inside the request that queues them, so a test can read mail.outbox.


def sign_in(page, email: str, password: str) -> None:
    """Sign in with email and password on the sign-in page (no second factor outside production)."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def invitation_path(message) -> str:
    """The path of the invitation link in an e-mail (the link itself names the configured site, not the test server)."""
    link = re.search(r"https?://\S+/account/invite/\S+/", message.body).group(0)
    return urlsplit(link).path
