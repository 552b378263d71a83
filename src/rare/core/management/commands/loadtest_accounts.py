"""`rare loadtest-accounts`: member accounts for load and fault tests of a test instance.

Load tests need signed-in members, and members sign in with a password *and* a second factor. Nothing
is weakened for them: this command makes ordinary participant accounts (a random password, an
authenticator-app secret, a personal API token with write scope) in a programme of their own, and
writes those credentials to a file readable by its owner only. The load test signs in through the
real pages, computing the one-time code from the secret.

For a test instance (such as `make prod` on a workstation) only: it refuses a database that holds
accounts other than its own unless `--force` is given. `--remove` deletes everything it made.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import secrets
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

EMAIL_DOMAIN = "loadtest.invalid"
PROGRAMME_SLUG = "load-test"


class Command(BaseCommand):
    help = "Make participant accounts with two-factor sign-in and API tokens for a load test (test instances only)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10, help="Number of member accounts (default 10).")
        parser.add_argument("--output", type=Path, help="JSON file for the credentials (written owner-only).")
        parser.add_argument("--force", action="store_true", help="Run even though other accounts exist.")
        parser.add_argument("--remove", action="store_true", help="Delete the load-test accounts and programme.")

    def handle(self, *args, count: int, output: Path | None, force: bool, remove: bool, **options):
        from rare.accounts.models import User
        from rare.programme.models import Programme

        ours = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
        if remove:
            with transaction.atomic():
                people = list(ours)
                for user in people:
                    person = getattr(user, "person", None)
                    if person is not None:
                        person.delete()
                    user.delete()
                Programme.objects.filter(slug=PROGRAMME_SLUG).delete()
            self.stdout.write(f"Removed {len(people)} load-test accounts.")
            return
        if output is None:
            raise CommandError("--output FILE is required: the credentials are written there.")
        if not force and User.objects.exclude(email__endswith=f"@{EMAIL_DOMAIN}").exists():
            raise CommandError(
                "This database has real accounts: load-test accounts are for test instances "
                "(give --force if this one is a test instance all the same)."
            )
        if count < 1:
            raise CommandError("--count must be at least 1.")
        members = self._make(count)
        output.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump({"members": members}, fh, indent=1)
        self.stdout.write(f"{len(members)} load-test members; credentials in {output}.")

    @transaction.atomic
    def _make(self, count: int) -> list[dict]:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        from rare.accounts.models import User
        from rare.api.models import ApiToken
        from rare.api.services import create_token
        from rare.community.models import Organisation, Person
        from rare.programme.models import Membership, Programme

        today = dt.date.today()
        programme, _ = Programme.objects.get_or_create(
            slug=PROGRAMME_SLUG,
            defaults={
                "name": "Load test",
                "cohort": 99,
                "starts_on": today - dt.timedelta(days=30),
                "ends_on": today + dt.timedelta(days=365),
                "status": Programme.Status.RUNNING,
            },
        )
        organisation, _ = Organisation.objects.get_or_create(
            slug="load-test-organisation", defaults={"name": "Load test organisation", "country": "HU"}
        )
        members = []
        for number in range(1, count + 1):
            email = f"member-{number}@{EMAIL_DOMAIN}"
            password = secrets.token_urlsafe(18)
            user = User.objects.filter(email=email).first() or User(email=email, name=f"Load test member {number}")
            user.set_password(password)
            user.save()
            person, _ = Person.objects.get_or_create(
                user=user,
                defaults={
                    "name": user.name,
                    "slug": f"load-test-member-{number}",
                    "organisation": organisation,
                    "country": "HU",
                },
            )
            Membership.objects.get_or_create(programme=programme, person=person, role=Membership.Role.PARTICIPANT)
            Authenticator.objects.filter(user=user).delete()
            secret = base64.b32encode(secrets.token_bytes(20)).decode()
            TOTP.activate(user, secret)
            ApiToken.objects.filter(user=user).delete()
            _token, token = create_token(user=user, name="load test", scope=ApiToken.Scope.WRITE)
            members.append({"email": email, "password": password, "totp_secret": secret, "api_token": token})
        return members
