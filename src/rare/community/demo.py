"""Demo institutions and contacts, and a fresh directory search index for the demo.

The institutions are real public bodies; every contact is invented (names, phone numbers and example.org
addresses), so the demo never shows a real person's details.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.db import transaction

from rare.community.models import Contact, Institution
from rare.community.search import rebuild_index

Kind = Institution.Kind


@dataclass(frozen=True)
class DemoContact:
    name: str
    position: str
    notes: str = ""
    phone: str = ""


@dataclass(frozen=True)
class DemoInstitution:
    slug: str
    name: str
    kind: str
    acronym: str = ""
    parent: str = ""
    country: str = ""
    website: str = ""
    description: str = ""
    contacts: tuple[DemoContact, ...] = field(default_factory=tuple)


INSTITUTIONS: tuple[DemoInstitution, ...] = (
    DemoInstitution(
        slug="european-parliament",
        name="European Parliament",
        acronym="EP",
        kind=Kind.EU_PARLIAMENT,
        website="https://www.europarl.europa.eu/",
        description="Co-legislator of the EU; its committees prepare reports, resolutions and hearings.",
        contacts=(DemoContact("Léa Martinval", "Policy adviser to a group coordinator", "Met at camp 7."),),
    ),
    DemoInstitution(
        slug="ep-libe",
        name="Committee on Civil Liberties, Justice and Home Affairs",
        acronym="LIBE",
        kind=Kind.EP_COMMITTEE,
        parent="european-parliament",
        website="https://www.europarl.europa.eu/committees/en/libe/home",
        description="Leads on the rule of law reports, fundamental rights, asylum and migration.",
        contacts=(
            DemoContact("Annika Sørlie", "Committee secretariat, rule of law monitoring", phone="+32 2 555 01 10"),
            DemoContact("Mateusz Wierzba", "Assistant to a shadow rapporteur on the rule of law report"),
        ),
    ),
    DemoInstitution(
        slug="ep-afco",
        name="Committee on Constitutional Affairs",
        acronym="AFCO",
        kind=Kind.EP_COMMITTEE,
        parent="european-parliament",
        website="https://www.europarl.europa.eu/committees/en/afco/home",
        description="Treaty matters, including the Article 7 procedure and transparency.",
        contacts=(DemoContact("Giulia Fenaroli", "Political adviser"),),
    ),
    DemoInstitution(
        slug="ep-juri",
        name="Committee on Legal Affairs",
        acronym="JURI",
        kind=Kind.EP_COMMITTEE,
        parent="european-parliament",
        website="https://www.europarl.europa.eu/committees/en/juri/home",
        description="Civil law files, among them the directive against abusive lawsuits (SLAPPs).",
        contacts=(DemoContact("Henrik Aalto", "Committee administrator, anti-SLAPP follow-up"),),
    ),
    DemoInstitution(
        slug="ep-droi",
        name="Subcommittee on Human Rights",
        acronym="DROI",
        kind=Kind.EP_COMMITTEE,
        parent="european-parliament",
        website="https://www.europarl.europa.eu/committees/en/droi/home",
        description="Human rights in the EU's external action; urgency resolutions on defenders at risk.",
        contacts=(DemoContact("Sofía Arriaga", "Adviser on human rights defenders", "Prefers a short brief."),),
    ),
    DemoInstitution(
        slug="dg-just",
        name="Directorate-General for Justice and Consumers",
        acronym="DG JUST",
        kind=Kind.COMMISSION_DG,
        website="https://commission.europa.eu/about/departments-and-executive-agencies/justice-and-consumers_en",
        description="Writes the annual Rule of Law Report and runs the civil society funding strand.",
        contacts=(
            DemoContact("Pieter Vandamme", "Policy officer, Rule of Law Report country desk"),
            DemoContact("Ilona Šestáková", "Desk officer, fundamental rights policy"),
        ),
    ),
    DemoInstitution(
        slug="dg-home",
        name="Directorate-General for Migration and Home Affairs",
        acronym="DG HOME",
        kind=Kind.COMMISSION_DG,
        website="https://home-affairs.ec.europa.eu/",
        description="Migration, asylum and borders, including the monitoring mechanisms at the borders.",
        contacts=(DemoContact("Konstantinos Eleftheriou", "Policy officer, border monitoring"),),
    ),
    DemoInstitution(
        slug="council-of-the-eu",
        name="Council of the European Union",
        kind=Kind.EU_COUNCIL,
        website="https://www.consilium.europa.eu/",
        description="Ministers of the member states; holds the Article 7 hearings in the General Affairs Council.",
        contacts=(DemoContact("Marie Lindqvist", "Attaché at a permanent representation (fictional)"),),
    ),
    DemoInstitution(
        slug="fra",
        name="European Union Agency for Fundamental Rights",
        acronym="FRA",
        kind=Kind.EU_AGENCY,
        website="https://fra.europa.eu/",
        description="Research and advice on fundamental rights; consults civil society on civic space each year.",
        contacts=(DemoContact("Tobias Reinthaler", "Programme manager, civic space"),),
    ),
    DemoInstitution(
        slug="council-of-europe",
        name="Council of Europe",
        acronym="CoE",
        kind=Kind.COUNCIL_OF_EUROPE,
        website="https://www.coe.int/",
        description="The continent's human rights organisation, with 46 member states.",
    ),
    DemoInstitution(
        slug="coe-commissioner",
        name="Commissioner for Human Rights",
        kind=Kind.COUNCIL_OF_EUROPE,
        parent="council-of-europe",
        website="https://www.coe.int/en/web/commissioner",
        description="Country visits, third-party interventions and a standing focus on human rights defenders.",
        contacts=(DemoContact("Ruxandra Pop", "Adviser, human rights defenders"),),
    ),
    DemoInstitution(
        slug="venice-commission",
        name="European Commission for Democracy through Law",
        acronym="Venice Commission",
        kind=Kind.COUNCIL_OF_EUROPE,
        parent="council-of-europe",
        website="https://www.venice.coe.int/",
        description="Opinions on draft laws, among them laws on NGOs, foreign funding and the judiciary.",
        contacts=(DemoContact("Dario Castellani", "Legal officer"),),
    ),
    DemoInstitution(
        slug="pace",
        name="Parliamentary Assembly of the Council of Europe",
        acronym="PACE",
        kind=Kind.COUNCIL_OF_EUROPE,
        parent="council-of-europe",
        website="https://pace.coe.int/",
        description="Members of national parliaments; reports and resolutions on civic space.",
        contacts=(DemoContact("Nino Beridze", "Secretariat, legal affairs and human rights committee"),),
    ),
    DemoInstitution(
        slug="osce-odihr",
        name="OSCE Office for Democratic Institutions and Human Rights",
        acronym="ODIHR",
        kind=Kind.OSCE,
        website="https://www.osce.org/odihr",
        description="Assembly monitoring, legislative reviews and guidelines on the protection of defenders.",
        contacts=(DemoContact("Agnieszka Rudnicka", "Human rights officer, freedom of assembly"),),
    ),
    DemoInstitution(
        slug="un-sr-defenders",
        name="UN Special Rapporteur on the situation of human rights defenders",
        kind=Kind.UN,
        website="https://www.ohchr.org/en/special-procedures/sr-human-rights-defenders",
        description="Receives individual cases and sends communications to governments.",
        contacts=(DemoContact("Amal Haddad", "Assistant in the mandate team (fictional)"),),
    ),
    DemoInstitution(
        slug="un-sr-assembly",
        name="UN Special Rapporteur on the rights to freedom of peaceful assembly and of association",
        kind=Kind.UN,
        website="https://www.ohchr.org/en/special-procedures/sr-freedom-of-assembly-and-association",
        description="Communications, country visits and thematic reports on assembly and association.",
    ),
    DemoInstitution(
        slug="hu-government",
        name="Government of Hungary",
        kind=Kind.NATIONAL_GOVERNMENT,
        country="HU",
        contacts=(DemoContact("Bence Halmi", "Desk officer, ministry of justice (fictional)"),),
    ),
    DemoInstitution(
        slug="hu-parliament",
        name="National Assembly of Hungary",
        acronym="Országgyűlés",
        kind=Kind.NATIONAL_PARLIAMENT,
        country="HU",
        website="https://www.parlament.hu/",
    ),
    DemoInstitution(
        slug="pl-government",
        name="Government of Poland",
        kind=Kind.NATIONAL_GOVERNMENT,
        country="PL",
        contacts=(DemoContact("Joanna Krzemińska", "Adviser, ministry of justice (fictional)"),),
    ),
    DemoInstitution(
        slug="pl-sejm",
        name="Sejm of the Republic of Poland",
        acronym="Sejm",
        kind=Kind.NATIONAL_PARLIAMENT,
        country="PL",
        website="https://www.sejm.gov.pl/",
    ),
    DemoInstitution(
        slug="sk-government",
        name="Government of the Slovak Republic",
        kind=Kind.NATIONAL_GOVERNMENT,
        country="SK",
    ),
    DemoInstitution(
        slug="ro-parliament",
        name="Parliament of Romania",
        kind=Kind.NATIONAL_PARLIAMENT,
        country="RO",
        contacts=(DemoContact("Andrei Mocanu", "Staff of a human rights committee (fictional)"),),
    ),
)


def _email(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(plain.lower().split()) + "@example.org"


@transaction.atomic
def load_demo_institutions() -> int:
    """Create or update the demo institutions and their invented contacts (idempotent), then rebuild the
    directory search index, since the demo writes people and organisations in bulk (without signals).
    Returns the number of institutions.
    """
    rows: dict[str, Institution] = {}
    for item in INSTITUTIONS:
        rows[item.slug], _ = Institution.objects.update_or_create(
            slug=item.slug,
            defaults={
                "name": item.name,
                "acronym": item.acronym,
                "kind": item.kind,
                "country": item.country,
                "website": item.website,
                "description": item.description,
                "parent": rows[item.parent] if item.parent else None,
            },
        )
        for contact in item.contacts:
            Contact.objects.update_or_create(
                institution=rows[item.slug],
                name=contact.name,
                defaults={
                    "position": contact.position,
                    "email": _email(contact.name),
                    "phone": contact.phone,
                    "notes": contact.notes,
                },
            )
    rebuild_index()
    return len(rows)
