"""The joint strategic action plan: services and history, rules, the overview's flags and filters,
the action page and its forms, and constant query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import rules
from django.core.exceptions import ValidationError
from django.utils import timezone

from rare.alliance.plan import services
from rare.alliance.plan.models import Action, ActionChange
from rare.core.models import AuditEntry
from rare.core.visibility import Visibility
from rare.programme.models import Membership
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    MilestoneFactory,
    ObjectiveFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    WorkingGroupFactory,
)

Role = Membership.Role
Status = Action.Status


def _member(role=Role.PARTICIPANT, organisation=None):
    person = PersonFactory(user=UserFactory(), organisation=organisation or OrganisationFactory())
    MembershipFactory(person=person, role=role)
    return person.user


def _history(action) -> list[tuple[str, str, str]]:
    return list(ActionChange.objects.filter(action=action).order_by("pk").values_list("field", "before", "after"))


def _listed(response) -> list[str]:
    return re.findall(
        r'<p class="plan-action__title">\s*<a href="/groups/plan/actions/\d+/">([^<]+)</a>', response.content.decode()
    )


# --- Services and history ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_an_action_starts_its_history_and_audits_it():
    team = _member(Role.TEAM)
    owner = OrganisationFactory(name="Hungarian Helsinki Committee")

    action = services.create_action(
        actor=team, objective=ObjectiveFactory(), title="Joint brief on civil society", owners=[owner]
    )

    assert list(action.owners.all()) == [owner]
    assert _history(action) == [("created", "", "Joint brief on civil society")]
    assert ActionChange.objects.get(action=action).actor_name == team.person.name
    assert AuditEntry.objects.filter(action="action.created", target_id=str(action.pk)).count() == 1


@pytest.mark.django_db
def test_every_changed_field_gets_one_history_entry_with_before_and_after():
    team = _member(Role.TEAM)
    first, second = OrganisationFactory(name="Alpha"), OrganisationFactory(name="Beta")
    action = ActionFactory(status=Status.PLANNED, progress=0, due_date=dt.date(2030, 1, 1), owners=[first])

    written = services.update_action(
        action=action,
        actor=team,
        status=Status.IN_PROGRESS,
        progress=40,
        due_date=dt.date(2030, 2, 1),
        owners=[first, second],
        title=action.title,  # unchanged: no entry
    )

    assert [c.field for c in written] == ["status", "progress", "due_date", "owners"]
    assert _history(action) == [
        ("status", "planned", "in progress"),
        ("progress", "0 %", "40 %"),
        ("due_date", "2030-01-01", "2030-02-01"),
        ("owners", "Alpha", "Alpha, Beta"),
    ]
    action.refresh_from_db()
    assert (action.status, action.progress) == (Status.IN_PROGRESS, 40)
    entry = AuditEntry.objects.get(action="action.changed")
    assert entry.details["fields"] == ["status", "progress", "due_date", "owners"]


@pytest.mark.django_db
def test_an_update_that_changes_nothing_writes_nothing():
    action = ActionFactory(status=Status.DONE)

    assert services.update_action(action=action, actor=_member(Role.TEAM), status=Status.DONE) == []
    assert _history(action) == []
    assert AuditEntry.objects.filter(action="action.changed").count() == 0


@pytest.mark.django_db
def test_progress_must_be_a_percentage():
    with pytest.raises(ValidationError):
        services.update_action(action=ActionFactory(), actor=_member(Role.TEAM), progress=120)


@pytest.mark.django_db
def test_dependencies_may_not_go_round_in_a_circle():
    team = _member(Role.TEAM)
    first, second, third = ActionFactory(), ActionFactory(), ActionFactory()
    services.update_action(action=second, actor=team, depends_on=[first])
    services.update_action(action=third, actor=team, depends_on=[second])

    with pytest.raises(ValidationError):
        services.update_action(action=first, actor=team, depends_on=[third])
    with pytest.raises(ValidationError):
        services.update_action(action=first, actor=team, depends_on=[first])
    assert list(first.depends_on.all()) == []


@pytest.mark.django_db
def test_the_history_is_never_edited():
    change = services.create_action(actor=_member(Role.TEAM), objective=ObjectiveFactory(), title="A")
    entry = ActionChange.objects.get(action=change)
    entry.after = "B"
    with pytest.raises(ValueError):
        entry.save()


@pytest.mark.django_db
def test_milestones_are_added_and_marked_done_in_the_history():
    team = _member(Role.TEAM)
    action = ActionFactory()

    milestone = services.add_milestone(action=action, actor=team, title="Draft agreed")
    services.set_milestone_done(milestone=milestone, actor=team, done=True)
    services.set_milestone_done(milestone=milestone, actor=team, done=True)  # no change, no entry

    assert _history(action) == [
        ("milestone", "", "Draft agreed"),
        ("milestone", "Draft agreed: open", "Draft agreed: done"),
    ]


@pytest.mark.django_db
def test_owners_people_are_notified_once_per_change(tasks_run_now):
    from rare.core.models import Notice

    owner = OrganisationFactory()
    action = ActionFactory(owners=[owner])
    _member(organisation=owner)

    services.update_action(action=action, actor=_member(Role.TEAM), status=Status.BLOCKED)
    services.update_action(action=action, actor=_member(Role.TEAM), progress=10)

    assert Notice.objects.filter(kind="action.changed").count() == 2


@pytest.mark.django_db
def test_late_actions_are_announced_once_per_due_date(tasks_run_now):
    from rare.core.models import Notice

    owner = OrganisationFactory()
    ActionFactory(owners=[owner], due_date=dt.date(2020, 1, 1))
    ActionFactory(owners=[owner], due_date=dt.date(2020, 1, 1), status=Status.DONE)
    ActionFactory(due_date=dt.date(2020, 1, 1))  # nobody to tell

    assert services.notify_late_actions() == 1
    assert services.notify_late_actions() == 1
    assert Notice.objects.filter(kind="action.changed").count() == 1


# --- Rules ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_team_and_the_owners_people_may_change_an_action_others_may_not():
    owner = OrganisationFactory()
    action = ActionFactory(owners=[owner])

    assert rules.has_perm("alliance.change_action", _member(Role.TEAM), action) is True
    assert rules.has_perm("alliance.change_action", _member(organisation=owner), action) is True
    assert rules.has_perm("alliance.change_action", _member(), action) is False
    assert rules.has_perm("alliance.add_action", _member(organisation=owner)) is False
    assert rules.has_perm("alliance.export_plan", _member(Role.TEAM)) is True
    assert rules.has_perm("alliance.export_plan", _member()) is False


@pytest.mark.django_db
def test_an_owner_cannot_change_an_action_they_may_not_see():
    owner = OrganisationFactory()
    action = ActionFactory(owners=[owner], visibility=Visibility.RESTRICTED)

    assert rules.has_perm("alliance.change_action", _member(organisation=owner), action) is False


# --- The overview --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_overview_flags_late_done_and_unowned_actions_and_counts_them(client):
    today = timezone.localdate()
    owner = OrganisationFactory(name="Owner Org")
    ActionFactory(title="Late one", due_date=today - dt.timedelta(days=3), owners=[owner])
    ActionFactory(title="Done one", status=Status.DONE, due_date=today - dt.timedelta(days=3), owners=[owner])
    ActionFactory(title="Orphan", due_date=today + dt.timedelta(days=30))
    ActionFactory(title="Hidden", visibility=Visibility.RESTRICTED, owners=[owner])
    client.force_login(_member())

    response = client.get("/groups/plan/")

    body = response.content.decode()
    assert response.status_code == 200
    assert _listed(response) == ["Late one", "Done one", "Orphan"]
    assert response.context["counts"] == {"total": 3, "late": 1, "done": 1, "blocked": 0, "unowned": 1}
    late = body.split('id="action-')[1]
    assert "tag--late" in late.split("</li>")[0]
    assert body.count("tag tag--late") == 1
    assert body.count('<span class="tag tag--due">No owner</span>') == 1


@pytest.mark.django_db
def test_overview_filters_by_status_group_owner_and_lateness(client):
    today = timezone.localdate()
    group = WorkingGroupFactory(name="Civic space")
    owner = OrganisationFactory()
    ActionFactory(title="A", status=Status.BLOCKED, working_group=group, owners=[owner])
    ActionFactory(title="B", due_date=today - dt.timedelta(days=1))
    ActionFactory(title="C", status=Status.DONE)
    client.force_login(_member())

    assert _listed(client.get("/groups/plan/?status=blocked")) == ["A"]
    assert _listed(client.get(f"/groups/plan/?group={group.pk}")) == ["A"]
    assert _listed(client.get(f"/groups/plan/?owner={owner.pk}")) == ["A"]
    assert _listed(client.get("/groups/plan/?owner=none")) == ["B", "C"]
    assert _listed(client.get("/groups/plan/?late=1")) == ["B"]
    assert _listed(client.get("/groups/plan/?status=nonsense&group=x")) == ["A", "B", "C"]


@pytest.mark.django_db
def test_overview_groups_actions_by_priority_and_objective(client):
    first = ObjectiveFactory(title="Strategy adopted", priority__title="Civic space", priority__position=1)
    second = ObjectiveFactory(title="Courts independent", priority__title="Rule of law", priority__position=2)
    ActionFactory(title="Brief", objective=first)
    ActionFactory(title="Watch the courts", objective=second)
    client.force_login(_member())

    body = client.get("/groups/plan/").content.decode()

    positions = [
        body.index(text) for text in ("Civic space", "Strategy adopted", "Brief", "Rule of law", "Watch the courts")
    ]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_visitors_see_only_public_actions(client):
    ActionFactory(title="Public one", visibility=Visibility.PUBLIC)
    ActionFactory(title="Members one")

    assert _listed(client.get("/groups/plan/")) == ["Public one"]


@pytest.mark.django_db
def test_overview_query_count_does_not_grow_with_actions(client, django_assert_max_num_queries):
    group = WorkingGroupFactory()

    def make(count):
        for index in range(count):
            objective = ObjectiveFactory()
            ActionFactory(
                objective=objective,
                working_group=group,
                owners=OrganisationFactory.create_batch(2),
                due_date=dt.date(2020, 1, 1) if index % 2 else dt.date(2030, 1, 1),
            )

    make(3)
    client.force_login(_member())
    with django_assert_max_num_queries(15) as few:
        assert len(_listed(client.get("/groups/plan/"))) == 3
    make(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_listed(client.get("/groups/plan/"))) == 30


# --- The action page and its forms ---------------------------------------------------------------------


@pytest.mark.django_db
def test_action_page_shows_details_milestones_dependencies_and_history(client):
    team = _member(Role.TEAM)
    before = ActionFactory(title="Map the funders")
    hidden = ActionFactory(title="Secret prerequisite", visibility=Visibility.RESTRICTED)
    action = services.create_action(
        actor=team,
        objective=ObjectiveFactory(),
        title="Joint brief",
        owners=[OrganisationFactory(name="Netherlands Helsinki Committee")],
        depends_on=[before, hidden],
    )
    MilestoneFactory(action=action, title="First draft")
    services.update_action(action=action, actor=team, status=Status.IN_PROGRESS)
    client.force_login(_member())

    body = client.get(f"/groups/plan/actions/{action.pk}/").content.decode()

    for text in ("Joint brief", "Netherlands Helsinki Committee", "First draft", "Map the funders", "in progress"):
        assert text in body
    assert "Secret prerequisite" not in body
    assert "Update this action" not in body


@pytest.mark.django_db
def test_an_action_one_may_not_see_is_a_404(client):
    action = ActionFactory(visibility=Visibility.RESTRICTED)
    client.force_login(_member())

    assert client.get(f"/groups/plan/actions/{action.pk}/").status_code == 404
    assert client.get(f"/groups/plan/actions/{action.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_owner_updates_status_and_progress_and_the_history_shows_it(client):
    owner = OrganisationFactory()
    action = ActionFactory(owners=[owner])
    user = _member(organisation=owner)
    client.force_login(user)

    form = client.get(f"/groups/plan/actions/{action.pk}/edit/")
    assert list(form.context["form"].fields) == ["status", "progress", "description"]
    response = client.post(
        f"/groups/plan/actions/{action.pk}/edit/",
        {"status": "in_progress", "progress": "60", "description": action.description},
    )

    assert response.status_code == 302
    assert _history(action) == [("status", "planned", "in progress"), ("progress", "0 %", "60 %")]
    page = client.get(f"/groups/plan/actions/{action.pk}/").content.decode()
    assert user.person.name in page


@pytest.mark.django_db
def test_someone_else_may_not_edit_an_action(client):
    action = ActionFactory(owners=[OrganisationFactory()])
    client.force_login(_member())

    assert client.get(f"/groups/plan/actions/{action.pk}/edit/").status_code == 404
    assert (
        client.post(f"/groups/plan/actions/{action.pk}/edit/", {"status": "done", "progress": 100}).status_code == 404
    )
    assert _history(action) == []


@pytest.mark.django_db
def test_team_adds_an_action_through_the_form(client):
    objective = ObjectiveFactory()
    owner = OrganisationFactory()
    client.force_login(_member(Role.TEAM))

    response = client.post(
        "/groups/plan/actions/new/",
        {
            "objective": objective.pk,
            "title": "Hearing in the LIBE committee",
            "description": "",
            "status": "planned",
            "progress": "0",
            "due_date": "2030-05-01",
            "owners": [owner.pk],
            "visibility": "members",
        },
    )

    action = Action.objects.get(title="Hearing in the LIBE committee")
    assert response.status_code == 302
    assert response["Location"] == f"/groups/plan/actions/{action.pk}/"
    assert list(action.owners.all()) == [owner]


@pytest.mark.django_db
def test_milestones_through_the_page(client):
    owner = OrganisationFactory()
    action = ActionFactory(owners=[owner])
    client.force_login(_member(organisation=owner))

    client.post(f"/groups/plan/actions/{action.pk}/milestones/", {"title": "Letter sent", "due": "2030-01-10"})
    milestone = action.milestones.get()
    client.post(f"/groups/plan/actions/{action.pk}/milestones/{milestone.pk}/", {"done": "1"})

    milestone.refresh_from_db()
    assert milestone.done is True
    assert [c[0] for c in _history(action)] == ["milestone", "milestone"]
