"""The public pages, news posts and testimonials of the demo.

`load_public_pages()` is idempotent: it creates what is missing and leaves everything else alone, so a
text the programme team has since edited is never overwritten and running it twice adds nothing.
The testimonials are fictional people with illustrative video ids (no real video is meant).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from rare.website import services
from rare.website.models import Page, Testimonial


@dataclass(frozen=True)
class _Text:
    title: str
    body: str


@dataclass(frozen=True)
class _Page:
    slug: str
    kind: str
    texts: dict[str, _Text]
    position: int = 100
    published: dt.datetime | None = None


def _at(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


ABOUT_EN = """\
RARE, short for *Recharging Advocacy for Rights in Europe*, is a two-year programme that strengthens
senior people in European human rights organisations and brings them together in an alliance that
lasts beyond the programme.

It was started by the Hertie School in Berlin together with the Netherlands Helsinki Committee and the
Hungarian Helsinki Committee. Each cohort brings together around 25 senior staff of leading human rights
NGOs from across Europe: directors and heads of advocacy, litigation and campaigns who already carry
responsibility in their own organisations.

Over two years a cohort meets in a series of camps, intensive workshops held each time in a different
European city or online, and keeps working together in between. The first cohort met for the first time
in March 2021 and came together nine times; further cohorts followed, chosen through an open call.

## What participants take home

- skills tailored to what they and their organisations need;
- peers across borders and fields of work whom they know and trust;
- campaigns and advocacy they planned and carried out together.

Read on: [why RARE exists](/about/why/), [how it works](/about/how/) and
[its strategic objectives](/about/objectives/).
"""

ABOUT_DE = """\
RARE, kurz für *Recharging Advocacy for Rights in Europe*, ist ein zweijähriges Programm, das erfahrene
Menschen in europäischen Menschenrechtsorganisationen stärkt und sie zu einer Allianz zusammenbringt,
die über das Programm hinaus Bestand hat.

Ins Leben gerufen hat es die Hertie School in Berlin gemeinsam mit dem Niederländischen
Helsinki-Komitee und dem Ungarischen Helsinki-Komitee. Jede Kohorte vereint rund 25 Führungskräfte
führender Menschenrechtsorganisationen aus ganz Europa: Leiterinnen und Leiter von Organisationen sowie
Verantwortliche für Advocacy, strategische Prozessführung und Kampagnen, die in ihren eigenen
Organisationen bereits Verantwortung tragen.

Zwei Jahre lang trifft sich eine Kohorte zu einer Reihe von Camps, intensiven Workshops, jedes Mal in
einer anderen europäischen Stadt oder online, und arbeitet dazwischen gemeinsam weiter. Die erste
Kohorte kam im März 2021 zum ersten Mal zusammen und traf sich insgesamt neunmal; weitere Kohorten
folgten, ausgewählt über eine offene Ausschreibung.

## Was die Teilnehmenden mitnehmen

- Fähigkeiten, die auf ihren Bedarf und den ihrer Organisationen zugeschnitten sind;
- Kolleginnen und Kollegen über Grenzen und Arbeitsfelder hinweg, die sie kennen und denen sie vertrauen;
- Kampagnen und Advocacy-Arbeit, die sie gemeinsam geplant und umgesetzt haben.

Mehr dazu: [warum es RARE gibt](/about/why/), [wie das Programm funktioniert](/about/how/) und
[seine strategischen Ziele](/about/objectives/).
"""

ABOUT_HU = """\
A RARE (*Recharging Advocacy for Rights in Europe*) kétéves program, amely megerősíti az európai
emberi jogi szervezetek tapasztalt munkatársait, és olyan szövetséggé kapcsolja össze őket, amely a
program lezárulta után is megmarad.

A programot a berlini Hertie School indította el a Holland Helsinki Bizottsággal és a Magyar Helsinki
Bizottsággal közösen. Minden évfolyam mintegy 25 vezető munkatársat hoz össze Európa meghatározó emberi
jogi civil szervezeteitől: szervezetvezetőket, valamint az érdekérvényesítésért, a stratégiai
pereskedésért és a kampányokért felelős szakembereket, akik saját szervezetükben már most is komoly
felelősséget viselnek.

Egy évfolyam két év alatt táborok sorozatán vesz részt. Ezek intenzív műhelyek, mindig más európai
városban vagy online, a táborok között pedig a résztvevők közösen dolgoznak tovább. Az első évfolyam
2021 márciusában találkozott először, és összesen kilencszer gyűlt össze; később újabb évfolyamok
következtek, amelyek tagjait nyílt pályázaton választották ki.

## Amit a résztvevők magukkal visznek

- a saját és szervezetük igényeire szabott készségeket;
- országhatárokon és szakterületeken átívelő kapcsolatokat olyan kollégákkal, akiket ismernek, és
  akikben megbíznak;
- közösen megtervezett és megvalósított kampányokat és érdekérvényesítő munkát.

Bővebben: [miért jött létre a RARE](/about/why/), [hogyan működik a program](/about/how/) és
[mik a stratégiai céljai](/about/objectives/).
"""

WHY_EN = """\
Civic space in Europe is under pressure. In several countries human rights organisations face
restrictive laws, funding rules designed to cut them off, smear campaigns and attacks on the
independence of the courts. Such measures rarely stay where they began: a tactic that silences NGOs in
one country is soon copied in the next.

Human rights defenders mostly answer these threats alone, country by country and issue by issue, in
organisations that are stretched thin. The people who lead them carry heavy responsibility but seldom
get the time to build their own skills, or to work closely with peers who face the same pressures
elsewhere.

RARE exists to change both: to recharge the people who lead human rights advocacy in Europe, and to
connect them so that they act together.

## A civic intervention force

The long-term vision is an embryonic *civic intervention force*: an alliance in which an attack on one
civic organisation, in one country, is understood as a threat to all. Its members know how restrictions
spill over from one country to another and mobilise support for each other across Europe. National NGOs
become advocates beyond their own borders, towards other European governments and parliaments, the
European Union and multilateral organisations.
"""

HOW_EN = """\
## Cohorts

A cohort of about 25 participants runs for around two years. Participants are senior staff of human
rights NGOs from across Europe. From the second cohort on, they have been chosen through an open call for
applications with a deadline.

## Camps

A cohort meets in a series of camps, usually eight to ten of them. Each camp takes place in a different
European city, some are held online, and each combines:

- workshops and training built on the needs participants named at the start;
- expert panels and side-events with EU and international human rights institutions;
- working-group sessions in which participants plan and carry out joint work;
- time to get to know each other, which is what an alliance is made of.

The first cohort's camp in Brussels, hosted by a policy centre, brought participants together with
Members of the European Parliament, a parliamentary committee and officials of the European Commission.
Its final camp, with graduation, took place in Cres, Croatia.

## Between the camps

Working groups keep going between the camps. The first cohort chose the rule of law and civic space as
its cross-cutting priorities, formed working groups on both, and developed a joint strategic action plan
with advocacy strategies and campaigns. When a cohort ends, its participants stay in the alliance as
alumni.
"""

OBJECTIVES_EN = """\
RARE pursues two strategic objectives.

## Capacity building

Tailor-made upskilling of the participants. At the start each participant sets out what they need and
expect; the camps then train those skills, from advocacy towards the EU and strategic litigation to
campaigning and media work, coalition building, digital security and running a non-profit organisation.

## Alliance building

A lasting pan-European community of practice: human rights defenders who join forces across borders and
fields of work in concrete campaigns and advocacy, plan together in a joint strategic action plan, and
speak with one voice where one voice carries further than many.

## Priorities

The first cohort chose two cross-cutting priorities:

- **Rule of law**: independent courts, accountable government and respect for the values the EU is
  founded on;
- **Civic space**: the freedom of civil society to organise, speak out, raise funds and take part in
  public life.

One result of this work is a joint brief calling for an EU strategy for civil society, with four asks to
the EU institutions.
"""

STEERING_EN = """\
RARE is guided by a steering group of representatives of the three organisations that started the
programme: the Hertie School in Berlin, the Netherlands Helsinki Committee and the Hungarian Helsinki
Committee.

The steering group sets the direction of the programme, oversees each call for participants and keeps
the programme true to its two strategic objectives. A programme team runs the cohorts and camps from day
to day.

People in the programme may be targeted because of their work. This website therefore names individuals
only when they have agreed to it.
"""

FUNDERS_EN = """\
RARE is made possible by funders who support human rights, democracy and civil society in Europe:
private foundations and public donors. Their grants pay for the camps, for the travel and accommodation
of participants, trainers and experts, and for the programme team.

The programme reports to its funders on both of its strategic objectives: the skills participants gain,
and the joint work of the alliance.

Would you like to support a future cohort? Please get in touch with the programme team.
"""

NEWS_KICK_OFF = """\
In March 2021 the first cohort of RARE met for the first time. Twenty-six senior staff of human rights
organisations from across Europe came together online for the programme's kick-off camp.

Eight follow-up workshops in different European cities lie ahead. At the kick-off participants described
what they need from the programme and what they expect of it; their answers will shape the camps to come.

The kick-off also started the second strand of the programme: getting to know each other's work,
countries and fields, the ground on which a European alliance of human rights defenders can grow.
"""

NEWS_BRUSSELS = """\
The seventh camp of the first cohort took place in Brussels in March 2022, hosted by a policy centre. For
the participants it was a chance to take their advocacy straight to the European institutions.

The cohort met Members of the European Parliament, exchanged views with a parliamentary committee and
discussed with officials of the European Commission. The working groups on the rule of law and on civic
space used the meetings to test their asks and to learn how decisions are prepared in Brussels.

Going to the institutions together made a point of its own: the pressure on civil society in one member
state is a matter for all of Europe.
"""

NEWS_BRIEF = """\
Participants of RARE's first cohort have published a joint brief calling on the European Union to adopt a
strategy for civil society. The brief grew out of the cohort's work on civic space, one of the two
cross-cutting priorities it chose, and sets out four asks to the EU institutions.

Its message: the EU protects the rule of law and fundamental rights best when it also protects the people
and organisations who defend them. Restrictions on civil society in one member state tend to travel to
others, and they call for a common European answer.

The brief is part of the cohort's joint strategic action plan, which sets out the alliance's advocacy
strategies and campaigns.
"""

PAGES = [
    _Page(
        "about",
        Page.Kind.PAGE,
        {
            "en": _Text("What RARE is", ABOUT_EN),
            "de": _Text("Was ist RARE?", ABOUT_DE),
            "hu": _Text("Mi a RARE?", ABOUT_HU),
        },
        position=10,
    ),
    _Page("why", Page.Kind.PAGE, {"en": _Text("Why RARE", WHY_EN)}, position=20),
    _Page("how", Page.Kind.PAGE, {"en": _Text("How RARE works", HOW_EN)}, position=30),
    _Page("objectives", Page.Kind.PAGE, {"en": _Text("Goals and strategic objectives", OBJECTIVES_EN)}, position=40),
    _Page("steering-group", Page.Kind.PAGE, {"en": _Text("Steering group", STEERING_EN)}, position=50),
    _Page("funders", Page.Kind.PAGE, {"en": _Text("Funders", FUNDERS_EN)}, position=60),
    _Page(
        "first-cohort-meets",
        Page.Kind.NEWS,
        {"en": _Text("The first RARE cohort meets", NEWS_KICK_OFF)},
        published=_at(2021, 3, 22),
    ),
    _Page(
        "camp-in-brussels",
        Page.Kind.NEWS,
        {"en": _Text("Camp in Brussels: meeting the EU institutions", NEWS_BRUSSELS)},
        published=_at(2022, 3, 28),
    ),
    _Page(
        "eu-strategy-for-civil-society",
        Page.Kind.NEWS,
        {"en": _Text("A joint call for an EU strategy for civil society", NEWS_BRIEF)},
        published=_at(2022, 6, 14),
    ),
]

# Fictional people; the video ids are illustrative and stand for no real video.
TESTIMONIALS = [
    {
        "name": "Ana Petrović",
        "role": "Head of advocacy at a human rights organisation in Serbia",
        "quote": (
            "Before RARE I knew the names of colleagues in other countries. Now I know whom to call when our "
            "organisation is under pressure, and they call me."
        ),
        "video_id": "Qm7Rk2vXa9T",
        "preview": "rare/testimonials/preview-horizon.svg",
        "position": 10,
    },
    {
        "name": "Jonas Lindqvist",
        "role": "Director of a legal aid NGO in Sweden",
        "quote": (
            "The camps gave me skills I never had time to learn at home, and a group of peers who make sure I use them."
        ),
        "video_id": "tW4pHc8LnZ0",
        "preview": "rare/testimonials/preview-bridge.svg",
        "position": 20,
    },
]


@transaction.atomic
def load_public_pages(*, author=None) -> None:
    """Create the demo's public pages, news posts and testimonials where they are missing."""
    for spec in PAGES:
        page, _created = Page.objects.get_or_create(
            slug=spec.slug,
            defaults={"kind": spec.kind, "position": spec.position, "published_at": spec.published or timezone.now()},
        )
        present = set(page.versions.values_list("language", flat=True))
        for language, text in spec.texts.items():
            if language not in present:
                services.save_version(page=page, language=language, title=text.title, body=text.body, author=author)
    for data in TESTIMONIALS:
        if Testimonial.objects.filter(name=data["name"]).exists():
            continue
        testimonial = Testimonial(**data, illustrative=True)
        testimonial.full_clean()
        testimonial.save()
