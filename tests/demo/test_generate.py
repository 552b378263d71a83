"""`rare generate`: a synthetic data set at a tiny factor, on whichever database the suite runs on."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from rare.alliance.models import Action, WorkingGroup
from rare.community.models import Organisation, Person, SearchDocument
from rare.community.search import search
from rare.core.crypto import decrypt_text
from rare.core.visibility import Visibility
from rare.demo import generate
from rare.learning.models import Rating
from rare.monitor.models import Measure
from rare.programme.models import Camp, Membership, Programme, Registration, Session
from rare.solidarity.models import Alert, Pledge
from tests.factories import MembershipFactory, PersonFactory, UserFactory

FACTOR = 0.005

pytestmark = pytest.mark.django_db


def _generate(factor=FACTOR, **options) -> str:
    out = io.StringIO()
    call_command("generate", scale=str(factor), stdout=out, **options)
    return out.getvalue()


def _member():
    person = PersonFactory(user=UserFactory())
    MembershipFactory(person=person, role=Membership.Role.PARTICIPANT)
    return person.user


def _alert_ids(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/alerts/(\d+)/"', html)}


def test_counts_follow_the_factor_and_progress_is_printed():
    output = _generate()

    expected = {
        Organisation: 50,
        Person: 250,
        Programme: 1,
        Camp: 10,
        Session: 250,
        Alert: 1000,
        Pledge: 5000,
    }
    assert {model: model.objects.count() for model in expected} == expected
    # Assessment rows: every answer rates all ten competencies, so the count lands near the target.
    assert 5000 <= Rating.objects.count() <= 5750
    assert Person.objects.exclude(user=None).count() == 60
    assert SearchDocument.objects.count() == 300
    assert "pledges" in output and "rows/s" in output and output.strip().splitlines()[-1].startswith("Done:")


def test_every_visibility_level_appears_and_most_data_is_not_public():
    _generate()

    levels = set(Visibility.values)
    for model in (Alert, Measure, Action):
        assert set(model.objects.values_list("visibility", flat=True)) == levels, model
    public_share = Alert.objects.filter(visibility=Visibility.PUBLIC).count() / Alert.objects.count()
    assert public_share < 0.3
    assert WorkingGroup.objects.exclude(visibility=Visibility.PUBLIC).exists()


def test_confidential_fields_are_ciphertext_in_the_raw_rows():
    _generate()

    checked = 0
    for model, column, plaintext_marker in (
        (Alert, "details", "lawyer"),
        (Pledge, "evidence", "Letter sent"),
        (Registration, "dietary_needs", ""),
    ):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {column} FROM {table} WHERE {column} <> '' ORDER BY id LIMIT 20")  # noqa: S608
            rows = cursor.fetchall()
        assert rows, table
        context = model._meta.get_field(column).crypto_context
        for pk, raw in rows:
            assert plaintext_marker not in raw if plaintext_marker else True
            assert raw != getattr(model.objects.get(pk=pk), column)
            assert decrypt_text(raw, context=context) == getattr(model.objects.get(pk=pk), column)
            checked += 1
        if model is Alert:
            assert Alert.objects.get(pk=rows[0][0]).details.startswith("Names of the staff involved")
    assert checked == 60


def test_a_member_sees_generated_data_and_a_visitor_only_public_items(client):
    _generate()

    # Visitors: only public, verified alerts, and only participants who agreed to a public profile.
    anonymous_ids = _alert_ids(client.get("/alerts/").content.decode())
    assert anonymous_ids
    shown = Alert.objects.filter(pk__in=anonymous_ids)
    assert set(shown.values_list("visibility", flat=True)) == {Visibility.PUBLIC}
    assert not shown.filter(verified_at=None).exists()
    assert client.get("/directory/people/")["Location"].startswith("/accounts/login/")
    participants = client.get("/directory/participants/").content.decode()
    public = Person.objects.filter(public_profile=True, memberships__role__in=["participant", "alumni"])
    hidden = Person.objects.filter(public_profile=False, memberships__role__in=["participant", "alumni"])
    assert public.order_by("name", "pk").first().name in participants
    assert hidden.order_by("name", "pk").first().name not in participants

    # A member: alerts beyond the public ones, and the generated people in the directory.
    client.force_login(_member())
    member_ids = _alert_ids(client.get("/alerts/").content.decode())
    levels = set(Alert.objects.filter(pk__in=member_ids).values_list("visibility", flat=True))
    assert Visibility.MEMBERS in levels
    assert Visibility.RESTRICTED not in levels  # not named on any restricted alert
    people = client.get("/directory/people/").content.decode()
    first = Person.objects.filter(slug__startswith=generate.SLUG_PREFIX).order_by("name", "pk").first()
    assert first.name in people
    organisation = Organisation.objects.filter(slug__startswith=generate.SLUG_PREFIX).first()
    found = client.get("/directory/organisations/", {"q": organisation.name}).content.decode()
    assert organisation.name in found


def test_the_search_index_finds_generated_people():
    _generate()

    person = Person.objects.filter(slug__startswith=generate.SLUG_PREFIX).order_by("pk").first()
    family_name = person.name.split()[-1]
    assert person in search(Person.objects.all(), family_name[:4])


def test_a_second_run_is_refused_and_changes_nothing():
    _generate()
    before = Alert.objects.count()

    with pytest.raises(CommandError, match="already holds a generated data set"):
        _generate()
    assert Alert.objects.count() == before


def test_refused_in_production_and_for_a_bad_scale(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="RARE_ENV=production"):
        _generate()
    settings.PRODUCTION = False
    with pytest.raises(CommandError, match="positive number"):
        _generate(factor="-1")
    assert not Organisation.objects.exists()


class _Rollback(Exception):
    pass


def _names_generated_with(seed: int) -> list[str]:
    """Generate with `seed`, read the names, and roll the whole set back."""
    try:
        with transaction.atomic():
            _generate(seed=seed)
            generated = Person.objects.filter(slug__startswith=generate.SLUG_PREFIX).order_by("pk")
            names = list(generated.values_list("name", flat=True))
            raise _Rollback
    except _Rollback:
        return names


def test_the_same_seed_gives_the_same_data():
    first, again, other = _names_generated_with(7), _names_generated_with(7), _names_generated_with(8)

    assert len(first) == 250
    assert first == again
    assert first != other
