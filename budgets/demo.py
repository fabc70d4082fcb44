"""Deciding together in the demo neighbourhood Moerwijk-Oost: three funding streams (the
municipality's neighbourhood budget, a health insurer's money for care and older residents, and
a fund) with the money received on each; last year's result closed into the reinvestment
reserve; proposals, two of them refused with a reason and one waiting for the board; the first
round of the year, decided about seven months ago, whose projects have been spending month by
month since (budgets/demo_year.py); a participatory-budgeting round closed four weeks ago whose
adopted projects have their budgets; a round that is open now, so the demo resident can vote; a
yes/no vote on a defibrillator paid from the reserve; and agreements for the adopted projects,
one of them due within the week. And the treasurer's work of last month in progress: the month's
bank statement (CAMT.053) imported and matched, some lines booked, some waiting with a
suggestion, a handful for the treasurer to book; expenses and advances in every state, with
their receipts, and the payment batches that paid them.

Everything goes through the services, so the audit chain and the ledger hold it as they would a
real neighbourhood's decisions. Deterministic (a fixed random seed, dates counted from today)
and idempotent: once a funding stream is there, nothing is done.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from moneyed import Money

from budgets import services
from budgets.demo_month import PAYERS, build_month
from budgets.demo_year import build_year
from budgets.models import FundingStream, Proposal, Vote
from members.demo import DOMAIN, SLUG
from members.models import Cooperative, Membership, PartnerOrganisation, Place, User
from wijkbv.ledger import services as ledger
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import Account, Purpose

# (name, funder, committed, earmark, conditions, reporting, [(days ago, amount received)])
STREAMS = [
    (
        "Wijkbudget Moerwijk-Oost",
        "Gemeente Den Haag",
        "30000",
        ["culture", "green", "housing", "meeting", "safety", "youth"],
        "Activiteiten staan open voor alle bewoners van de wijk. Geen vaste salarissen.",
        "Elk half jaar een kort verslag met foto's; aan het eind een overzicht van wat elk "
        "project kostte.",
        [(210, "15000"), (75, "10000")],
    ),
    (
        "Gezond in de wijk",
        "Zorgverzekeraar Zuidwest",
        "12000",
        ["care", "elderly"],
        "Voor wat de gezondheid en zelfredzaamheid van ouderen en mantelzorgers versterkt.",
        "Eén keer per jaar: hoeveel mensen meededen per activiteit (alleen totalen).",
        [(150, "12000")],
    ),
    (
        "Buurt aan zet",
        "Fonds 1818",
        "6000",
        ["culture", "meeting", "youth"],
        "Een eenmalige bijdrage; projecten zijn binnen een jaar klaar.",
        "Een verslag van één pagina als de projecten klaar zijn.",
        # Its first part arrives on last month's bank statement (budgets/demo_month.py).
        [],
    ),
]

# Last year's bookings, so that closing it puts a result in the reinvestment reserve:
# (month, day, description, account code, amount; income positive, costs negative).
LAST_YEAR = [
    (
        9,
        30,
        "Huur buurtkamer De Moerhof, juli tot en met september (Welzijn Escamp)",
        "8100",
        "900",
    ),
    (10, 31, "Verzekering buurtkamer De Moerhof", "4200", "-385"),
    (11, 16, "Opbrengst rommelmarkt in het Zuiderpark", "8200", "640"),
    (
        12,
        20,
        "Huur buurtkamer De Moerhof, oktober tot en met december (Welzijn Escamp)",
        "8100",
        "900",
    ),
    (12, 31, "Bankkosten van het jaar", "4100", "-96"),
]

# (key, title, description, amount, theme, place or None, working group)
ROUND_PROPOSALS = [
    (
        "bankjes",
        "Bankjes en een picknicktafel in het Zuiderpark",
        "Bij de speeltuin in het Zuiderpark kun je nergens zitten. We zetten er drie bankjes en "
        "een picknicktafel neer, zodat ouders, opa's en oma's kunnen uitrusten en buren elkaar "
        "ontmoeten. De gemeente geeft toestemming; de tuingroep houdt ze schoon.",
        "3200",
        "green",
        "Buurttuin Zuiderpark",
        "Tuingroep",
    ),
    (
        "speelclub",
        "Woensdagmiddag Speelclub",
        "Elke woensdagmiddag spelen in de buurtkamer en op het plein, voor kinderen van 6 tot 12 "
        "jaar. Twee ouders en een jongerenwerker van Welzijn Escamp begeleiden. Het geld is voor "
        "spelmateriaal, limonade en fruit, een jaar lang.",
        "2400",
        "youth",
        "Buurtkamer De Moerhof",
        "",
    ),
    (
        "keuken",
        "Nieuwe kookplaat en oven voor Keuken De Schaal",
        "De oude kookplaat valt vaak uit en de oven is te klein voor veertig mensen. Met nieuwe "
        "apparaten koken we op dinsdag en vrijdag zonder zorgen voor de gedeelde maaltijd.",
        "4800",
        "meeting",
        "Keuken De Schaal",
        "Kookploeg",
    ),
    (
        "buurtfeest",
        "Buurtfeest op de Moerweg",
        "Een dag in september met muziek, eten uit alle keukens van de wijk en spelletjes voor de "
        "kinderen. Het geld is voor een podium, geluid, tenten en de vergunning.",
        "3500",
        "culture",
        None,
        "",
    ),
    (
        "geveltuinen",
        "Geveltuintjes in de Hengelolaan",
        "Twintig geveltuintjes met planten en aarde. Bewoners planten zelf, de tuingroep helpt. "
        "Groener, koeler in de zomer en gezelliger in de straat.",
        "1800",
        "green",
        None,
        "Tuingroep",
    ),
    (
        "steeg",
        "Licht in het steegje achter de Erasmusweg",
        "Het steegje achter de Erasmusweg is 's avonds donker; veel mensen lopen er liever om. "
        "Vier lampen op zonne-energie maken het veiliger. De woningcorporatie betaalt de helft "
        "van het onderhoud.",
        "5500",
        "safety",
        None,
        "",
    ),
]
# How many of the voters approve each project of the closed round.
ROUND_LIKING = {
    "bankjes": 0.55,
    "speelclub": 0.42,
    "keuken": 0.45,
    "buurtfeest": 0.5,
    "geveltuinen": 0.35,
    "steeg": 0.3,
}

# The first round of the year, on part of the Wijkbudget's first payment; its projects spend
# month by month (budgets/demo_year.py).
FIRST_ROUND_PROPOSALS = [
    (
        "repaircafe",
        "Repair Café in De Moerhof",
        "Eén zaterdag per maand repareren buren samen kapotte spullen: lampen, kleding, "
        "fietsen, koffiezetapparaten. Vrijwilligers met verstand van techniek en naaimachines "
        "helpen. Het geld is voor gereedschap, onderdelen en koffie.",
        "1800",
        "meeting",
        "Buurtkamer De Moerhof",
        "",
    ),
    (
        "gereedschap",
        "Gereedschapsbieb in de oude fietsenstalling",
        "Een boormachine koop je voor één gat in de muur. In de gereedschapsbieb leen je "
        "gereedschap, een ladder of een kruiwagen gratis voor een week. Het geld is voor kasten, "
        "sloten en het eerste gereedschap.",
        "2400",
        "housing",
        None,
        "",
    ),
    (
        "zomerfeest",
        "Zomerfeest voor de kinderen in het Zuiderpark",
        "Een middag in de zomervakantie voor alle kinderen van de wijk: een springkussen, "
        "schminken, spelletjes, muziek en ijs. Ouders en jongeren van de wijk helpen mee.",
        "2600",
        "youth",
        "Buurttuin Zuiderpark",
        "",
    ),
    (
        "moestuin",
        "Moestuin achter De Moerhof",
        "Vier moestuinbakken op het grasveld achter de buurtkamer. Buren zaaien, wieden en "
        "oogsten samen; wat we oogsten gaat naar de gedeelde maaltijd.",
        "1600",
        "green",
        "Buurtkamer De Moerhof",
        "Tuingroep",
    ),
    (
        "muurschildering",
        "Muurschildering onder het viaduct",
        "Een kunstenaar uit de wijk maakt met jongeren een grote schildering op de kale muur "
        "onder het viaduct van de Erasmusweg.",
        "4500",
        "culture",
        None,
        "",
    ),
]
FIRST_ROUND_LIKING = {
    "repaircafe": 0.6,
    "gereedschap": 0.55,
    "zomerfeest": 0.65,
    "moestuin": 0.5,
    "muurschildering": 0.25,
}
# When the first round was proposed, opened and closed, in days before today.
FIRST_ROUND_DAYS = (225, 215, 200)

OPEN_PROPOSALS = [
    (
        "wandelen",
        "Wandelgroep voor ouderen, elke dinsdag",
        "Elke dinsdagochtend een uur wandelen door het Zuiderpark, in een rustig tempo, met koffie "
        "na afloop in De Moerhof. Het geld is voor een begeleider en de koffie.",
        "900",
        "elderly",
        "Buurtkamer De Moerhof",
        "",
    ),
    (
        "stoelyoga",
        "Stoelyoga in de buurtkamer",
        "Yoga op een stoel, voor wie niet meer makkelijk op de grond gaat zitten. Eén keer per "
        "week, twintig lessen, met een docent uit de wijk.",
        "1400",
        "care",
        "Buurtkamer De Moerhof",
        "",
    ),
    (
        "spreekuur",
        "Inloopochtend met de wijkverpleegkundige",
        "Eén keer per maand een ochtend in De Moerhof met vragen over medicijnen, eten en "
        "bewegen, zonder afspraak. Het geld is voor koffie, folders in vier talen en een tolk.",
        "1200",
        "care",
        "Buurtkamer De Moerhof",
        "",
    ),
    (
        "balans",
        "Cursus 'In balans': minder vallen",
        "Acht bijeenkomsten over vallen voorkomen, met oefeningen voor thuis, samen met de "
        "fysiotherapeut van het gezondheidscentrum.",
        "2600",
        "elderly",
        None,
        "",
    ),
    (
        "bakfiets",
        "Boodschappen rondbrengen met de bakfiets",
        "Een elektrische bakfiets waarmee vrijwilligers boodschappen brengen bij buren die slecht "
        "ter been zijn. Het geld is voor de bakfiets, een goed slot en de verzekering.",
        "3800",
        "elderly",
        None,
        "Burenhulp",
    ),
]
OPEN_LIKING = {
    "wandelen": 0.5,
    "stoelyoga": 0.35,
    "spreekuur": 0.45,
    "balans": 0.3,
    "bakfiets": 0.4,
}

# Refused by the board, each with the reason the proposer reads: (proposal, stream, reason).
REFUSED = [
    (
        (
            "stoep",
            "Nieuwe stoeptegels in de Loevesteinlaan",
            "De stoep ligt scheef en mensen met een rollator struikelen. Wij willen nieuwe tegels.",
            "7500",
            "housing",
            None,
            "",
        ),
        0,
        "De stoep is van de gemeente. Meld losse tegels bij de gemeente (in de app of op de "
        "website); het wijkbudget betaalt geen onderhoud van de straat. De coördinator helpt "
        "je graag met de melding.",
    ),
    (
        (
            "sport",
            "Sportschoolabonnementen voor jongeren",
            "Een jaar sporten voor tien jongeren die het zelf niet kunnen betalen.",
            "2400",
            "youth",
            None,
            "",
        ),
        1,
        "Gezond in de wijk is alleen voor zorg en ouderen. Dien het voorstel opnieuw in bij het "
        "Wijkbudget of bij Buurt aan zet van Fonds 1818.",
    ),
]

AED = (
    "aed",
    "Een AED aan de gevel van De Moerhof",
    "Een hartstarter in een verwarmde kast aan de gevel van de buurtkamer, dag en nacht te "
    "gebruiken. Twaalf buren volgen een reanimatiecursus; die betaalt de Hartstichting.",
    "1650",
    "care",
    "Buurtkamer De Moerhof",
    "",
)
# The demo resident's own proposal, waiting for the board's check.
WAITING = (
    "taalcafe",
    "Taalcafé op zaterdag",
    "Elke zaterdagochtend Nederlands praten bij een kop koffie, voor wie de taal leert en voor "
    "buren die willen helpen. Het geld is voor koffie, thee en lesmateriaal.",
    "1500",
    "meeting",
    "Buurtkamer De Moerhof",
    "",
)

# What is agreed for each adopted project: (what, days until due). The demo resident's
# agreement for the defibrillator is the one due within the week.
AGREEMENTS = {
    "bankjes": [("Bankjes en tafel bestellen bij de leverancier", 12)],
    "speelclub": [("Rooster maken met de begeleiders", 9), ("Spelmateriaal kopen", 30)],
    "keuken": [("Drie offertes vragen voor kookplaat en oven", 16)],
    "buurtfeest": [("Vergunning aanvragen bij de gemeente", 25), ("Muziek en podium regelen", 50)],
    "geveltuinen": [("Bewoners van de Hengelolaan laten kiezen wie meedoet", 20)],
    "steeg": [("Afspraak met de woningcorporatie over het onderhoud", 28)],
}
AED_AGREEMENTS = [
    ("Reanimatiecursus plannen met de Hartstichting", "bewoner", 4),
    ("AED bestellen en laten ophangen", "bestuur", 21),
]
LOGINS = ("bewoner", "coordinator", "bestuur", "penningmeester", "kascommissie")


def _user(email: str) -> User:
    return User.objects.get(email__iexact=email)


class _People:
    """Who does what in the demo, drawn once from the seed. The demo's own logins stay out of
    the open round, so that each of them can try voting."""

    def __init__(self, cooperative, rng):
        residents = list(
            Membership.objects.filter(cooperative=cooperative, is_resident=True)
            .select_related("user")
            .order_by("member_number")
        )
        by_email = {m.user.email: m for m in residents if m.user.email}
        self.logins = [by_email[f"{name}@{DOMAIN}"] for name in LOGINS]
        self.resident, self.coordinator, self.board, self.treasurer, _audit = self.logins
        others = [m for m in residents if m not in self.logins]
        # Residents with an e-mail address vote online; the others on paper, at a place.
        self.online = [m for m in others if m.user.email]
        self.offline = [m for m in others if not m.user.email]
        rng.shuffle(self.online)
        rng.shuffle(self.offline)
        self.proposers = iter(self.online[:20])
        self.helpers = iter(self.online[30:])
        self.places = {p.name: p for p in Place.objects.filter(cooperative=cooperative)}


def _streams(cooperative, people, today) -> list[FundingStream]:
    partners = {p.name: p for p in PartnerOrganisation.objects.filter(cooperative=cooperative)}
    starts_on = today - datetime.timedelta(days=240)
    streams = []
    for name, funder, committed, earmark, conditions, reporting, receipts in STREAMS:
        stream = services.add_funding_stream(
            cooperative,
            actor=people.board.user,
            funder=partners[funder],
            name=name,
            committed=committed,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=364),
            earmark=earmark,
            conditions=conditions,
            reporting=reporting,
            payer_iban=PAYERS.get(funder, ""),
        )
        for days_ago, amount in receipts:
            services.record_stream_receipt(
                stream,
                actor=people.treasurer.user,
                amount=amount,
                received_on=today - datetime.timedelta(days=days_ago),
            )
        streams.append(stream)
    return streams


def _close_last_year(cooperative, people, today) -> Decimal:
    """Book last year's rent, sales and costs, then close the year (its result goes to the
    reinvestment reserve) and the books up to its last day."""
    treasurer = people.treasurer.user
    year = today.year - 1
    bank = Account.objects.get(cooperative=cooperative, purpose=Purpose.BANK)
    accounts = {a.code: a for a in Account.objects.filter(cooperative=cooperative)}
    for month, day, description, code, amount in LAST_YEAR:
        amount = Decimal(amount)
        money = Money(abs(amount), cooperative.currency)
        account = accounts[code]
        ledger.post_transaction(
            cooperative,
            actor=treasurer,
            booking_date=datetime.date(year, month, day),
            description=description,
            lines=[debit(bank, money), credit(account, money)]
            if amount > 0
            else [debit(account, money), credit(bank, money)],
        )
    closed = services.close_year(cooperative, actor=treasurer, year=year)
    ledger.close_period(cooperative, actor=treasurer, until=datetime.date(year, 12, 31))
    return closed.result


def _propose(cooperative, people, stream, row, *, proposer=None, days_ago=0, at=None) -> Proposal:
    _key, title, description, amount, theme, place, group = row
    proposer = proposer or next(people.proposers)
    proposal = services.submit_proposal(
        cooperative,
        actor=proposer.user,
        title=title,
        description=description,
        amount=amount,
        theme=theme,
        stream=stream,
        place=people.places[place] if place else None,
        working_group=group,
    )
    if days_ago or at:
        # Demo only: dated back to when the story says it was proposed.
        moment = at or timezone.now() - datetime.timedelta(days=days_ago)
        Proposal.objects.filter(pk=proposal.pk).update(created_at=moment)
    return proposal


def _open(cooperative, people, *, closes_in, opened_ago=datetime.timedelta(minutes=1), **settings):
    now = timezone.now()
    return services.open_vote(
        cooperative,
        actor=people.board.user,
        opens_at=now - opened_ago,
        closes_at=now + closes_in,
        **settings,
    )


def _move_into_the_past(
    vote: Vote, *, opened_days_ago: int = 0, closed_days_ago: int = 0, opened=None, closed=None
) -> None:
    """Demo only: a vote cannot be opened with a closing time that has passed, and a real vote
    only closes once its time is up. So a vote of weeks ago is opened now, its ballots cast, and
    its times are then moved back (opens before closes, both in the past) so that it can be
    closed. The audit chain keeps the times it was opened with; no real vote is changed so."""
    now = timezone.now()
    opened = opened or now - datetime.timedelta(days=opened_days_ago)
    closed = closed or now - datetime.timedelta(days=closed_days_ago)
    Vote.objects.filter(pk=vote.pk).update(opened_at=opened, opens_at=opened, closes_at=closed)


def _approvals(rng, proposals: dict, liking: dict, limit: Decimal) -> list[int]:
    """What one voter approves: each project with its liking, dropping some while the choice
    costs more than the budget, and at least one."""
    chosen = [key for key in proposals if rng.random() < liking[key]]
    while sum(proposals[key].amount for key in chosen) > limit:
        chosen.remove(rng.choice(chosen))
    if not chosen:
        chosen = [rng.choice([key for key in proposals if proposals[key].amount <= limit])]
    return [proposals[key].number for key in chosen]


def _ballots(vote, people, rng, proposals, liking, *, turnout, paper, proxies, always=()) -> int:
    """Cast the ballots of one budget round: residents with an e-mail address online (a few vote
    twice, the second ballot replacing the first), some without one on paper at a place, and a
    few through a neighbour who holds their proxy. Returns how many voted."""
    limit = vote.budget_limit
    online = [*always, *(m for m in people.online if rng.random() < turnout)]
    givers = [m for m in people.online if m not in online][:proxies]
    holders = online[len(online) - len(givers) :]
    for giver, holder in zip(givers, holders, strict=True):
        services.give_proxy(vote, actor=giver.user, to=holder)
    for membership in online:
        for _time in range(2 if rng.random() < 0.04 else 1):
            approvals = _approvals(rng, proposals, liking, limit)
            services.cast_ballot(vote, actor=membership.user, approvals=approvals)
    for giver, holder in zip(givers, holders, strict=True):
        approvals = _approvals(rng, proposals, liking, limit)
        services.cast_ballot(vote, actor=holder.user, approvals=approvals, for_member=giver)
    paper_places = [people.places["Buurtkamer De Moerhof"], people.places["Keuken De Schaal"]]
    for index, membership in enumerate(people.offline[:paper]):
        services.enter_paper_ballot(
            vote,
            actor=people.coordinator.user,
            member=membership,
            place=paper_places[index % len(paper_places)],
            approvals=_approvals(rng, proposals, liking, limit),
        )
    return len(online) + len(givers) + min(paper, len(people.offline))


def _first_round_moments(now) -> list[datetime.datetime]:
    """When the first round of the year was proposed, opened and closed: FIRST_ROUND_DAYS ago.
    Last year's books are closed, so when that would reach back into last year the same story
    is told in this year so far, from the morning of 2 January (or, on the first day of the
    year, from its start), in the same proportions."""
    moments = [now - datetime.timedelta(days=days) for days in FIRST_ROUND_DAYS]
    if timezone.localtime(moments[0]).year == timezone.localtime(now).year:
        return moments
    year = timezone.localtime(now).year
    start = timezone.make_aware(datetime.datetime(year, 1, 2, 9))
    if start >= now:
        start = timezone.make_aware(datetime.datetime(year, 1, 1))
    longest = FIRST_ROUND_DAYS[0]
    return [start + (now - start) * (longest - days) / longest for days in FIRST_ROUND_DAYS]


def _first_round(cooperative, people, rng, stream):
    """The Wijkbudget's first round of the year: proposed, voted on by a quarter of the
    residents, and decided about seven months ago, so that its projects have been spending
    since (budgets/demo_year.py). Its own random numbers and proposers, so the rounds after it
    stay as they were."""
    proposed, opened, closed = _first_round_moments(timezone.now())
    proposers = people.online[60 : 60 + len(FIRST_ROUND_PROPOSALS)]
    proposals = {
        row[0]: _propose(cooperative, people, stream, row, proposer=proposer, at=proposed)
        for row, proposer in zip(FIRST_ROUND_PROPOSALS, proposers, strict=True)
    }
    for proposal in proposals.values():
        services.check_proposal(proposal, actor=people.board.user, eligible=True)
    vote = _open(
        cooperative,
        people,
        closes_in=datetime.timedelta(hours=1),
        title="Wijkbudget, eerste ronde: wat doen we met € 9.000?",
        description="De gemeente heeft de eerste € 15.000 van het wijkbudget betaald. Kies de "
        "projecten die jij goed vindt voor de wijk, samen niet meer dan € 9.000.",
        kind="budget",
        rule="mes-complete",
        electorate="residents",
        weighting="per_member",
        stream=stream,
        budget_limit="9000",
        proposals=list(proposals.values()),
    )
    voted = _ballots(
        vote, people, rng, proposals, FIRST_ROUND_LIKING, turnout=0.25, paper=3, proxies=1
    )
    _move_into_the_past(vote, opened=opened, closed=closed)
    vote = services.close_vote(vote, actor=people.board.user)
    adopted = {key: p for key, p in proposals.items() if p.number in vote.tally["adopted"]}
    for proposal in adopted.values():
        proposal.refresh_from_db()  # for its budget account
    return vote, adopted, voted


def _after(days_ago: int, first_closed, share: float) -> datetime.datetime:
    """`days_ago`, or, when that is not after the first round of the year closed (in January,
    when that round is squeezed into the days since New Year), `share` of the way from its
    closing to now: the rounds of the story keep their order."""
    now = timezone.now()
    moment = now - datetime.timedelta(days=days_ago)
    return moment if moment > first_closed else first_closed + (now - first_closed) * share


def _closed_round(cooperative, people, rng, stream, first_closed):
    """Proposed two months ago; two refused; voted on, and decided almost four weeks ago;
    always after the first round of the year."""
    proposed = _after(60, first_closed, 0.1)
    proposals = {
        row[0]: _propose(cooperative, people, stream, row, at=proposed) for row in ROUND_PROPOSALS
    }
    streams = list(FundingStream.objects.filter(cooperative=cooperative).order_by("pk"))
    for row, stream_index, reason in REFUSED:
        proposal = _propose(
            cooperative, people, streams[stream_index], row, at=_after(55, first_closed, 0.15)
        )
        services.check_proposal(proposal, actor=people.board.user, eligible=False, reason=reason)
    for proposal in proposals.values():
        services.check_proposal(proposal, actor=people.board.user, eligible=True)
    vote = _open(
        cooperative,
        people,
        closes_in=datetime.timedelta(hours=1),
        title="Wijkbudget: wat doen we met € 12.000?",
        description="Kies de projecten die jij goed vindt voor de wijk, samen niet meer dan "
        "€ 12.000. Ieder krijgt een gelijk deel van het geld; projecten met steun van veel "
        "verschillende buren gaan voor.",
        kind="budget",
        rule="mes-complete",
        electorate="residents",
        weighting="per_member",
        stream=stream,
        budget_limit="12000",
        proposals=list(proposals.values()),
    )
    voted = _ballots(
        vote,
        people,
        rng,
        proposals,
        ROUND_LIKING,
        turnout=0.8,
        paper=12,
        proxies=2,
        always=people.logins,
    )
    _move_into_the_past(
        vote, opened=_after(40, first_closed, 0.3), closed=_after(26, first_closed, 0.6)
    )
    vote = services.close_vote(vote, actor=people.board.user)
    adopted = {key: p for key, p in proposals.items() if p.number in vote.tally["adopted"]}
    return vote, adopted, voted


def _reserve_vote(cooperative, people, rng):
    """A yes/no vote of the shareholders on a defibrillator from the reinvestment reserve."""
    proposal = _propose(cooperative, people, None, AED, days_ago=30)
    services.check_proposal(proposal, actor=people.board.user, eligible=True)
    vote = _open(
        cooperative,
        people,
        closes_in=datetime.timedelta(hours=1),
        title="Kopen we een AED van de herinvesteringsreserve?",
        description="Het bestuur stelt voor € 1.650 uit de reserve te gebruiken voor een "
        "hartstarter aan de gevel van De Moerhof. Alle aandeelhouders stemmen. Het voorstel is "
        "aangenomen als meer dan de helft van de stemmen vóór is (wie zich onthoudt, telt "
        "daarbij niet mee) en als minstens een kwart van alle stemmen is uitgebracht.",
        kind="yes_no",
        electorate="shareholders",
        weighting="by_shares",
        quorum=25,
        threshold="simple",
        proposals=[proposal],
    )
    shareholders = Membership.objects.filter(
        pk__in=vote.voters.values("membership")
    ).select_related("user")
    for membership in shareholders.order_by("member_number"):
        if rng.random() < 0.25:
            continue
        choice = rng.choices(["yes", "no", "abstain"], weights=[80, 14, 6])[0]
        if membership.user.email:
            services.cast_ballot(vote, actor=membership.user, choice=choice)
        else:
            services.enter_paper_ballot(
                vote,
                actor=people.coordinator.user,
                member=membership,
                place=people.places["Buurtkamer De Moerhof"],
                choice=choice,
            )
    _move_into_the_past(vote, opened_days_ago=20, closed_days_ago=6)
    vote = services.close_vote(vote, actor=people.board.user)
    proposal.refresh_from_db()
    return vote, proposal


def _agreements(people, today, adopted: dict, aed) -> int:
    """Who does what by when for each adopted project; the first one is done already."""
    made = []
    for key, proposal in adopted.items():
        for what, days in AGREEMENTS[key]:
            made.append((proposal, what, next(people.helpers), days))
    if aed.status == "adopted":
        by_login = dict(zip(LOGINS, people.logins, strict=True))
        made += [(aed, what, by_login[login], days) for what, login, days in AED_AGREEMENTS]
    agreements = [
        services.add_agreement(
            proposal,
            actor=people.board.user,
            what=what,
            responsible=responsible,
            due_on=today + datetime.timedelta(days=days),
        )
        for proposal, what, responsible, days in made
    ]
    if agreements:
        services.complete_agreement(agreements[0], actor=agreements[0].responsible.user)
    return len(agreements)


def _open_round(cooperative, people, rng, stream):
    """Proposals checked last week; open since three days, until two weeks from now."""
    proposals = {
        row[0]: _propose(cooperative, people, stream, row, days_ago=12) for row in OPEN_PROPOSALS
    }
    for proposal in proposals.values():
        services.check_proposal(proposal, actor=people.board.user, eligible=True)
    vote = _open(
        cooperative,
        people,
        opened_ago=datetime.timedelta(days=3),
        closes_in=datetime.timedelta(days=14),
        title="Gezond in de wijk: kies mee!",
        description="Zorgverzekeraar Zuidwest geeft € 6.000 voor gezondheid en ouderen in de "
        "wijk. Kies de projecten die jij steunt, samen niet meer dan € 6.000.",
        kind="budget",
        rule="mes",
        electorate="residents",
        weighting="per_member",
        stream=stream,
        budget_limit="6000",
        proposals=list(proposals.values()),
    )
    voted = _ballots(vote, people, rng, proposals, OPEN_LIKING, turnout=0.35, paper=4, proxies=0)
    # A neighbour gave the demo resident their proxy, so that login can vote for two.
    waiting = set(vote.voters.filter(voted=False).values_list("membership_id", flat=True))
    neighbour = next(m for m in people.online if m.pk in waiting)
    services.give_proxy(vote, actor=neighbour.user, to=people.resident)
    return vote, voted


@transaction.atomic
def _build(cooperative, stdout) -> None:
    rng = random.Random(2533)
    today = timezone.localdate()
    people = _People(cooperative, rng)
    wijkbudget, gezond, fonds = _streams(cooperative, people, today)
    result = _close_last_year(cooperative, people, today)
    first, first_adopted, voted_first = _first_round(
        cooperative, people, random.Random(1917), wijkbudget
    )
    year = build_year(
        cooperative, people, today, first_adopted, timezone.localdate(first.closes_at)
    )
    closed, adopted, voted_closed = _closed_round(
        cooperative, people, rng, wijkbudget, first.closes_at
    )
    reserve_vote, aed = _reserve_vote(cooperative, people, rng)
    agreements = _agreements(people, today, adopted, aed)
    _vote, voted_open = _open_round(cooperative, people, rng, gezond)
    _propose(cooperative, people, fonds, WAITING, proposer=people.resident)
    month = build_month(cooperative, people, today, paid_lines=year["bank_lines"])
    spent = sum((p.amount for p in adopted.values()), Decimal("0"))
    stdout.write(
        f"  {cooperative.name}: {len(STREAMS)} funding streams; {today.year - 1} closed with "
        f"€ {result} to the reserve; {Proposal.objects.filter(cooperative=cooperative).count()} "
        f"proposals ({len(REFUSED)} refused); a first round of the year ({voted_first} voted, "
        f"{len(first_adopted)} adopted) whose projects spent € {year['spent']} in "
        f"{year['expenses']} expenses over {year['months']} months; a closed budget round "
        f"({voted_closed} voted, {len(adopted)} adopted, € {spent} allocated); an open round ({voted_open} voted so "
        f"far); a yes/no vote ({reserve_vote.outcome}); {agreements} agreements; "
        f"last month's bank statement: {month['lines']} lines, {month['booked']} booked, "
        f"{month['suggested']} waiting with a suggestion"
    )


def build(stdout) -> None:
    cooperative = Cooperative.objects.filter(slug=SLUG).first()
    if cooperative is None:
        return
    if FundingStream.objects.filter(cooperative=cooperative).exists():
        stdout.write(f"  {SLUG} already has its funding streams")
        return
    _build(cooperative, stdout)
