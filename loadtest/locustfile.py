"""Load test of a running `make prod` (`make load`): visitors on the public pages and signed-in members.

Members sign in through the real pages with their password and a one-time code computed from their
authenticator secret, exactly as a person with an authenticator app does; nothing is relaxed for the
test. Their accounts come from `rare loadtest-accounts` (a test instance only), read from the JSON
file named by RARE_LOAD_MEMBERS. Each account signs in once per run (a one-time code is accepted once),
so there are at most as many member users as accounts; the rest of the users are visitors.

Each user sends about LOAD_USER_RATE requests a second (default 1): 20 users make about 20 a second.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import re
import struct
import time
from pathlib import Path

import urllib3
from locust import HttpUser, constant_throughput, events, task

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # make prod's self-signed certificate

RATE = float(os.environ.get("LOAD_USER_RATE", "1"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_accounts: list[dict] = []


@events.test_start.add_listener
def load_accounts(environment, **kwargs):
    path = os.environ.get("RARE_LOAD_MEMBERS", "")
    if path and Path(path).is_file():
        _accounts.extend(json.loads(Path(path).read_text())["members"])


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238: six digits for the current 30-second step (HMAC-SHA1), as an authenticator app shows."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), "sha1").digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class Visitor(HttpUser):
    """Someone reading the public site and its open data."""

    weight = 3
    wait_time = constant_throughput(RATE)

    def on_start(self):
        self.client.verify = False

    @task(4)
    def home(self):
        self.client.get("/")

    @task(2)
    def monitor(self):
        self.client.get("/monitor/")

    @task(1)
    def measures(self):
        self.client.get("/monitor/measures/")

    @task(1)
    def calls(self):
        self.client.get("/calls/")

    @task(1)
    def open_data(self):
        self.client.get("/monitor/data.json")

    @task(1)
    def feed(self):
        self.client.get("/feeds/alerts.atom")


class Member(HttpUser):
    """A participant signed in with password and authenticator code, working in the members' pages."""

    weight = 1
    wait_time = constant_throughput(RATE)

    def on_start(self):
        self.client.verify = False
        self.signed_in = False
        self.api_token = ""
        if not _accounts:
            return  # no account left: this user only reads the public pages
        account = _accounts.pop()
        self.api_token = account["api_token"]
        self.sign_in(account)

    def _post(self, path: str, data: dict, name: str):
        page = self.client.get(path, name=f"{name} (form)")
        token = CSRF.search(page.text)
        origin = self.host.rstrip("/")
        headers = {"Referer": origin + path, "Origin": origin}
        return self.client.post(path, {**data, "csrfmiddlewaretoken": token.group(1) if token else ""},
                                headers=headers, name=name)  # fmt: skip

    def sign_in(self, account: dict) -> None:
        response = self._post(
            "/accounts/login/", {"login": account["email"], "password": account["password"]}, "sign in"
        )
        if "/2fa/authenticate" not in response.url:
            response.failure(f"sign-in did not ask for the second factor (landed on {response.url})")
            return
        # A code in its last seconds could expire on the way: wait for the next step then.
        if time.time() % 30 > 27:
            time.sleep(30 - time.time() % 30 + 0.2)
        response = self._post("/accounts/2fa/authenticate/", {"code": totp(account["totp_secret"])}, "second factor")
        self.signed_in = "/2fa/" not in response.url and "/accounts/login/" not in response.url
        if not self.signed_in:
            response.failure(f"second factor refused (landed on {response.url})")

    @task(3)
    def directory(self):
        self.client.get("/directory/" if self.signed_in else "/")

    @task(2)
    def alerts(self):
        self.client.get("/alerts/" if self.signed_in else "/monitor/")

    @task(2)
    def groups(self):
        self.client.get("/groups/" if self.signed_in else "/")

    @task(1)
    def notifications(self):
        self.client.get("/notifications/" if self.signed_in else "/")

    @task(2)
    def api(self):
        # The API with the member's personal token (anonymous calls are limited per address, and every
        # simulated visitor comes from this machine's one address).
        if self.api_token:
            headers = {"Authorization": f"Bearer {self.api_token}"}
            self.client.get("/api/v1/alerts", headers=headers, name="/api/v1/alerts (token)")
        else:
            self.client.get("/monitor/")

    @task(1)
    def account(self):
        self.client.get("/account/" if self.signed_in else "/")
