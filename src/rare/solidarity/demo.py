"""Demo alerts: eight invented attacks on invented organisations of the demo programme, across several
countries, categories, visibility levels and statuses, with timelines, a reply of the authorities and
pledged responses. Every summary says the alert is fictional. Loading twice adds nothing.

Rows are written directly (not through the services), so loading the demo sends no notices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from rare.alliance.models import WorkingGroup
from rare.community.models import Organisation, Person
from rare.core.visibility import Visibility
from rare.demo import data
from rare.solidarity.models import Alert, AlertUpdate, Pledge, count_pledges

FICTIONAL = "Fictional demo alert."
Status = Alert.Status
Kind = Pledge.Kind


@dataclass(frozen=True)
class DemoPledge:
    org: str
    by: str  # member key
    kind: str
    after_hours: int  # hours after the report
    note: str = ""
    done_evidence: str = ""  # set: the pledge is done


@dataclass(frozen=True)
class DemoAlert:
    key: str
    title: str
    country: str
    days_ago: int  # when the attack happened
    category: str
    perpetrator: str
    severity: str
    visibility: str
    status: str
    reporter: str  # member key
    affected: tuple[str, ...]
    summary: str
    details: str
    sources: tuple[str, ...]
    tactic: str = ""
    named_orgs: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    updates: tuple[tuple[str, str, bool], ...] = ()  # (kind, text, public)
    pledges: tuple[DemoPledge, ...] = field(default_factory=tuple)


ALERTS: list[DemoAlert] = [
    DemoAlert(
        key="smear-danube",
        title="Pro-government weekly brands a legal aid network as 'foreign agents'",
        country="HU",
        days_ago=18,
        category=Alert.Category.SMEAR_CAMPAIGN,
        perpetrator=Alert.Perpetrator.ALIGNED_MEDIA,
        severity=Alert.Severity.HIGH,
        visibility=Visibility.PUBLIC,
        status=Status.ACTIVE,
        reporter="zsofia",
        affected=("danube-civic-defence-network",),
        tactic="'foreign agent' label",
        summary=(
            f"{FICTIONAL} A weekly close to the government printed the names and photographs of the network's "
            "lawyers under the headline 'Paid by foreign interests', after the network won a case against a "
            "restrictive law."
        ),
        details="Two lawyers named in the article received threatening messages; copies kept by the reporter.",
        sources=("https://news.example.org/weekly-article", "Statement of the network's board"),
        updates=(
            ("update", "The article was reprinted by two regional papers.", True),
            (
                "authority_reply",
                "The government spokesperson replied that the press is free and that the government does not "
                "comment on articles.",
                True,
            ),
        ),
        pledges=(
            DemoPledge(
                "tatra-watchdog-forum",
                "lenka",
                Kind.JOINT_STATEMENT,
                5,
                "We draft; others sign.",
                "Statement published with 14 signatories: https://statements.example.org/danube",
            ),
            DemoPledge("vistula-legal-action-centre", "marta", Kind.LETTER, 20, "To our foreign ministry."),
            DemoPledge("baltic-rights-watch-collective", "ruta", Kind.MEDIA, 30, "Op-ed in a Lithuanian daily."),
        ),
    ),
    DemoAlert(
        key="slapp-vistula",
        title="Defamation suit of 2 million złoty against a judges' defence centre",
        country="PL",
        days_ago=9,
        category=Alert.Category.JUDICIAL_HARASSMENT,
        perpetrator=Alert.Perpetrator.NON_STATE,
        severity=Alert.Severity.MEDIUM,
        visibility=Visibility.PUBLIC,
        status=Status.VERIFIED,
        reporter="tomasz",
        affected=("vistula-legal-action-centre",),
        tactic="SLAPP",
        summary=(
            f"{FICTIONAL} A state-owned energy company sued the centre for a report on the appointment of judges; "
            "the claim is out of all proportion to the centre's budget."
        ),
        details="The first hearing is set for next month; the centre's insurance does not cover the costs.",
        sources=("https://court.example.org/case-1234", "https://news.example.org/slapp"),
        pledges=(DemoPledge("danube-civic-defence-network", "bence", Kind.LEGAL, 12, "Comparative brief on SLAPPs."),),
    ),
    DemoAlert(
        key="law-tatra",
        title="Bill obliges organisations with foreign grants to label all publications",
        country="SK",
        days_ago=60,
        category=Alert.Category.RESTRICTIVE_LAW,
        perpetrator=Alert.Perpetrator.STATE,
        severity=Alert.Severity.HIGH,
        visibility=Visibility.PUBLIC,
        status=Status.RESOLVED,
        reporter="lenka",
        affected=("tatra-watchdog-forum",),
        tactic="labelling of foreign-funded organisations",
        summary=(
            f"{FICTIONAL} Parliament debated a bill that would have forced organisations with foreign grants to "
            "print a label on every publication. It was withdrawn after a broad campaign."
        ),
        details="",
        sources=("https://parliament.example.org/bill-77", "https://news.example.org/bill-withdrawn"),
        updates=(
            ("update", "The bill was withdrawn at second reading.", True),
            (
                "authority_reply",
                "The ministry answered the joint letter: the bill will be 'reconsidered with civil society'.",
                True,
            ),
        ),
        pledges=(
            DemoPledge(
                "bohemian-public-interest-lawyers",
                "jakub",
                Kind.INTERNATIONAL,
                3,
                "Raised with the Council of Europe's expert council on NGO law.",
                "Opinion requested and published.",
            ),
            DemoPledge(
                "spree-democracy-workshop",
                "jonas",
                Kind.LETTER,
                26,
                "To the embassy in Berlin.",
                "Letter handed over at a meeting with the embassy.",
            ),
        ),
    ),
    DemoAlert(
        key="detention-aegean",
        title="Volunteers of a refugee legal aid group held for two days on an island",
        country="GR",
        days_ago=5,
        category=Alert.Category.DETENTION,
        perpetrator=Alert.Perpetrator.LAW_ENFORCEMENT,
        severity=Alert.Severity.CRITICAL,
        visibility=Visibility.MEMBERS,
        status=Status.ACTIVE,
        reporter="eleni",
        affected=("aegean-refugee-legal-aid-circle",),
        summary=(
            f"{FICTIONAL} Three volunteers who advise people arriving by sea were held by the coast guard and "
            "released without charge; their phones were kept."
        ),
        details="The phones hold case files of clients; the group has asked a lawyer to demand their return.",
        sources=("Phone call with the group's coordinator", "https://news.example.org/island-detention"),
        pledges=(
            DemoPledge(
                "loire-association-for-civic-freedoms", "camille", Kind.INTERNATIONAL, 8, "UN special rapporteur."
            ),
            DemoPledge("scheldt-migrant-justice-platform", "wouter", Kind.EMERGENCY_FUND, 30),
        ),
    ),
    DemoAlert(
        key="attack-balkan",
        title="Assembly monitor assaulted after a protest in Sofia",
        country="BG",
        days_ago=3,
        category=Alert.Category.PHYSICAL_ATTACK,
        perpetrator=Alert.Perpetrator.UNKNOWN,
        severity=Alert.Severity.HIGH,
        visibility=Visibility.RESTRICTED,
        status=Status.VERIFIED,
        reporter="dimitar",
        affected=("balkan-freedom-of-assembly-monitor",),
        named_orgs=("balkan-freedom-of-assembly-monitor",),
        summary=f"{FICTIONAL} A monitor wearing the organisation's vest was attacked on the way home.",
        details="The monitor does not want to be named; hospital report held by the director.",
        sources=("Hospital report (seen by the duty officer)", "Statement of the director"),
    ),
    DemoAlert(
        key="surveillance-apennine",
        title="Spyware found on a rights observatory's phones",
        country="IT",
        days_ago=12,
        category=Alert.Category.SURVEILLANCE,
        perpetrator=Alert.Perpetrator.UNKNOWN,
        severity=Alert.Severity.HIGH,
        visibility=Visibility.GROUP,
        status=Status.VERIFIED,
        reporter="giulia",
        affected=("apennine-observatory-for-rights",),
        groups=("rule-of-law",),
        summary=f"{FICTIONAL} A forensic check found traces of commercial spyware on two staff phones.",
        details="The forensic report names the two staff members; shared with the working group only.",
        sources=("Forensic report of a digital security helpline", "Second opinion of an independent lab"),
    ),
    DemoAlert(
        key="raid-adriatic",
        title="Police search the office of a human rights bureau in Split",
        country="HR",
        days_ago=1,
        category=Alert.Category.RAID,
        perpetrator=Alert.Perpetrator.LAW_ENFORCEMENT,
        severity=Alert.Severity.MEDIUM,
        visibility=Visibility.RESTRICTED,
        status=Status.REPORTED,
        reporter="iva",
        affected=("adriatic-human-rights-bureau",),
        named_orgs=("adriatic-human-rights-bureau",),
        summary=f"{FICTIONAL} Officers took paper files and a laptop; no warrant was shown.",
        details="The laptop holds the list of clients; the bureau changed its passwords the same day.",
        sources=("Call with the bureau's director", "Photo of the search record"),
    ),
    DemoAlert(
        key="smear-baltic",
        title="Online campaign against a media freedom centre's director",
        country="LV",
        days_ago=90,
        category=Alert.Category.SMEAR_CAMPAIGN,
        perpetrator=Alert.Perpetrator.NON_STATE,
        severity=Alert.Severity.LOW,
        visibility=Visibility.MEMBERS,
        status=Status.CLOSED,
        reporter="liga",
        affected=("daugava-media-freedom-centre",),
        summary=f"{FICTIONAL} Anonymous accounts spread a doctored video of the director; the platform removed it.",
        details="",
        sources=("https://social.example.org/report-1", "https://news.example.org/video-removed"),
        pledges=(
            DemoPledge(
                "gulf-of-finland-digital-rights-society",
                "kadri",
                Kind.MEDIA,
                10,
                "",
                "Explainer on detecting doctored videos, shared widely.",
            ),
        ),
    ),
]


def _people() -> dict[str, Person]:
    members = [*data.PARTICIPANTS, *data.TEAM]
    slugs = {slugify(m.name): m.key for m in members}
    return {slugs[p.slug]: p for p in Person.objects.filter(slug__in=slugs).select_related("user")}


def remove_demo_alerts() -> None:
    """Delete the demo alerts (with their timelines and pledges)."""
    Alert.objects.filter(title__in=[a.title for a in ALERTS], summary__startswith=FICTIONAL).delete()


@transaction.atomic
def load_demo_alerts() -> int:
    """Create the demo alerts; returns how many were added (0 if they exist or the demo is missing)."""
    people = _people()
    officer = people.get(data.DUTY_OFFICERS[0])
    if officer is None or Alert.objects.filter(title=ALERTS[0].title).exists():
        return 0
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=[o.slug for o in data.ORGANISATIONS])}
    groups = {g.slug: g for g in WorkingGroup.objects.filter(slug__in=[g.slug for g in data.WORKING_GROUPS])}
    now = timezone.now()
    for spec in ALERTS:
        reporter = people[spec.reporter]
        occurred = now - dt.timedelta(days=spec.days_ago)
        reported_at = occurred + dt.timedelta(hours=6)
        verified = spec.status != Status.REPORTED
        alert = Alert.objects.create(
            title=spec.title,
            country=spec.country,
            occurred_on=occurred.date(),
            category=spec.category,
            perpetrator=spec.perpetrator,
            severity=spec.severity,
            visibility=spec.visibility,
            status=spec.status,
            tactic=spec.tactic,
            summary=spec.summary,
            details=spec.details,
            sources="\n".join(spec.sources),
            reporter=reporter.user,
            verified_by=officer.user if verified else None,
            verified_at=reported_at + dt.timedelta(hours=2) if verified else None,
            verification_reasons="Both sources checked by phone and in writing." if verified else "",
        )
        Alert.objects.filter(pk=alert.pk).update(created_at=reported_at)
        alert.affected_organisations.set([organisations[s] for s in spec.affected])
        alert.allowed_people.add(reporter)
        if reporter.organisation_id:
            alert.allowed_organisations.add(reporter.organisation_id)
        alert.allowed_organisations.add(*[organisations[s] for s in spec.named_orgs])
        alert.allowed_groups.set([groups[s] for s in spec.groups if s in groups])

        timeline = []
        if verified:
            timeline.append((AlertUpdate.Kind.STATUS_CHANGE, "Verified.", True, officer.user, 2))
        for index, (kind, text, public) in enumerate(spec.updates):
            timeline.append((kind, text, public, officer.user, 24 * (index + 1)))
        for kind, text, public, author, hours in timeline:
            update = AlertUpdate.objects.create(alert=alert, kind=kind, text=text, is_public=public, author=author)
            AlertUpdate.objects.filter(pk=update.pk).update(created_at=reported_at + dt.timedelta(hours=hours))

        for pledge_spec in spec.pledges:
            person = people[pledge_spec.by]
            at = reported_at + dt.timedelta(hours=pledge_spec.after_hours)
            done = bool(pledge_spec.done_evidence)
            pledge = Pledge.objects.create(
                alert=alert,
                organisation=organisations[pledge_spec.org],
                pledged_by=person.user,
                person=person,
                kind=pledge_spec.kind,
                note=pledge_spec.note,
                status=Pledge.Status.DONE if done else Pledge.Status.PLEDGED,
                evidence=pledge_spec.done_evidence,
                done_at=at + dt.timedelta(days=2) if done else None,
            )
            Pledge.objects.filter(pk=pledge.pk).update(created_at=at)
            count_pledges(alert.pk)  # the backdating above bypasses Pledge.save, which keeps the counters
    return len(ALERTS)
