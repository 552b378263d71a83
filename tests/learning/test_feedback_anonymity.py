"""Anonymity at the database level: after people answer an anonymous form, no row of any table ties a
person to an answer, and nothing stored keeps the order in which they answered.

The answers go through the real page (middleware, sessions, messages, audit trail) in a transactional
test, so that whatever commits, background task rows included, is in the tables read here.
"""

import uuid

import pytest
from django.db import connection
from django.test import Client

from rare.learning.models import AnonymousAnswer, FeedbackSubmission
from tests.factories import FeedbackFormFactory, SessionFactory
from tests.learning.helpers import answer_url, member, session_answer

COMMENTS = [
    "alpha-remark-about-the-litigation-case",
    "bravo-remark-about-the-hearing",
    "charlie-remark-about-the-lunch",
]


def every_row() -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table's column names and raw rows, read with a plain cursor."""
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from introspection)
            columns = [c[0] for c in cursor.description]
            tables[table] = (columns, cursor.fetchall())
    return tables


def as_text(value) -> str:
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        return raw.hex() + " " + raw.decode("latin-1")
    return str(value)


def answer_order() -> list[int]:
    """The `overall` ratings in the order the rows are physically stored (rowid or ctid)."""
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    table = connection.ops.quote_name(AnonymousAnswer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT overall FROM {table} ORDER BY {order}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_no_row_ties_a_person_to_an_anonymous_answer(tasks_run_now):
    session = SessionFactory()
    form = FeedbackFormFactory(session=session)
    people = [member(session.camp.programme, attends=session) for _ in COMMENTS]
    seen_ids: set[uuid.UUID] = set()

    for number, (user, comment) in enumerate(zip(people, COMMENTS, strict=True), start=1):
        client = Client()
        client.force_login(user)
        assert client.post(answer_url(form), session_answer(number, 5, comment)).status_code == 302
        ids = set(AnonymousAnswer.objects.filter(form=form).values_list("id", flat=True))
        # Every answer gets a fresh random key on each new answer: no key survives to be matched later.
        assert len(ids) == number
        assert ids.isdisjoint(seen_ids)
        seen_ids |= ids

    answers = list(AnonymousAnswer.objects.filter(form=form))
    answer_ids = {str(a.id) for a in answers} | {a.id.hex for a in answers}
    answer_table = AnonymousAnswer._meta.db_table
    marker_table = FeedbackSubmission._meta.db_table
    tables = every_row()

    # The answer table has no column that could point at a person, an account or a moment.
    columns, _rows = tables[answer_table]
    assert sorted(columns) == sorted(
        ["id", "form_id", "overall", "usefulness", "logistics", "sessions", "learned", "comment"]
    )
    # The marker says who answered: no time, no answer.
    columns, rows = tables[marker_table]
    assert sorted(columns) == ["form_id", "id", "person_id"]
    assert sorted(r[columns.index("person_id")] for r in rows) == sorted(u.person.pk for u in people)

    mentions_answer, mentions_comment = [], []
    for table, (_columns, rows) in tables.items():
        for row in rows:
            text = " ".join(as_text(v) for v in row)
            if any(answer_id in text for answer_id in answer_ids):
                mentions_answer.append(table)
            if any(comment in text for comment in COMMENTS):
                mentions_comment.append(table)
    # Only the answer rows themselves carry an answer's key; no table (audit trail, task queue, sessions,
    # logs of any kind) holds an answer's key next to anything else, nor the comments in clear text.
    assert sorted(set(mentions_answer)) == [answer_table]
    assert len(mentions_answer) == len(COMMENTS)
    assert mentions_comment == []

    # The audit trail says who answered which form (as the markers do), never which answer or what.
    from rare.core.models import AuditEntry

    entries = AuditEntry.objects.filter(action="feedback.answered")
    assert sorted((e.target_id, e.details) for e in entries) == [(str(form.pk), {})] * len(COMMENTS)


@pytest.mark.django_db(transaction=True)
def test_stored_order_of_answers_does_not_follow_the_order_of_answering():
    """Each answer rewrites the form's answers in a random order; with five answers the chance that every
    rewrite happened to keep the order of answering is 1 in 34,560."""
    session = SessionFactory()
    form = FeedbackFormFactory(session=session)
    from rare.learning.feedback import services

    kept_order = []
    for number in range(1, 6):
        user = member(session.camp.programme, attends=session)
        services.submit_answer(form=form, person=user.person, overall=number, usefulness=3)
        kept_order.append(answer_order() == list(range(1, number + 1)))
    assert sorted(answer_order()) == [1, 2, 3, 4, 5]
    assert not all(kept_order)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is PostgreSQL's")
def test_answers_share_one_transaction_id_on_postgresql():
    """All answers of a form carry the id of the last answering transaction, so xmin tells nothing about
    which answer came from which earlier transaction."""
    session = SessionFactory()
    form = FeedbackFormFactory(session=session)
    from rare.learning.feedback import services

    for number in range(1, 4):
        user = member(session.camp.programme, attends=session)
        services.submit_answer(form=form, person=user.person, overall=number, usefulness=3)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {AnonymousAnswer._meta.db_table}")  # noqa: S608
        assert len(cursor.fetchall()) == 1
