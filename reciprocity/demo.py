"""Time given in the demo neighbourhood Moerwijk-Oost: six activities and eight months of
contributions across its three places, most confirmed, some waiting, a few declined; some to
partner organisations, some exchanges between neighbours, some logged by the coordinator for
residents without a phone. The money-worries club is run by three volunteers, so the public
page shows a group that is too small to describe.

The last two weeks go through the services, so they are in the audit chain like any real
contribution. The months before are written in one go as confirmed history: thousands of
decisions through the services would make the demo slow, and the chain only needs to hold what
was decided through the software. Deterministic (a fixed random seed, dates counted back from
today) and idempotent: once the activities are there, nothing is done.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.demo import DOMAIN, SLUG
from members.models import Cooperative, Membership, PartnerOrganisation, Place, User
from reciprocity import selectors, services, summary
from reciprocity.models import Activity, Contribution, ContributionStatus
from shares.models import ShareClass, ShareLot, Subscription

DAYS = 240  # about eight months
THROUGH_SERVICES = 14  # the most recent days, logged and decided through the services

# (name, description, place name or None, hours to choose from, volunteers, times a week each)
ACTIVITIES = [
    (
        "Gedeelde maaltijd",
        "Cooking and eating together on Tuesdays and Fridays",
        "Keuken De Schaal",
        ["2", "2.5", "3", "3.5"],
        28,
        1.2,
    ),
    (
        "Burenhulp",
        "Shopping, a lift to the doctor, a hand with the garden",
        None,
        ["0.5", "0.75", "1", "1.5", "2"],
        34,
        0.9,
    ),
    (
        "Geldzorgenclub",
        "Sorting out letters and bills together, in confidence",
        "Buurtkamer De Moerhof",
        ["1.5", "2"],
        3,
        1.0,
    ),
    (
        "Gastvrouw/-heer buurtkamer",
        "Opening the community room, coffee and a listening ear",
        "Buurtkamer De Moerhof",
        ["3", "4"],
        9,
        0.7,
    ),
    (
        "Moestuin",
        "Sowing, weeding and harvesting the shared vegetable beds",
        "Buurttuin Zuiderpark",
        ["1", "1.5", "2", "3"],
        18,
        1.0,
    ),
    (
        "Taalmaatje",
        "Practising Dutch with a neighbour who is learning it",
        "Buurtkamer De Moerhof",
        ["1", "1.5"],
        7,
        0.8,
    ),
]
# Volunteers placed with partner organisations: (activity, organisation, how many people).
PLACEMENTS = [
    ("Burenhulp", "GGZ Haaglanden Zuid", 6),
    ("Taalmaatje", "Welzijn Escamp", 5),
    ("Geldzorgenclub", "Gemeente Den Haag", 2),
]
# Residents who chose to be thanked by name, by their place among the volunteers.
ON_THE_WALL = [0, 3, 7, 12, 18, 25, 31, 40]
DECLINE_REASONS = [
    "Dubbel ingevoerd: dit staat er al.",
    "De maaltijd was die week op vrijdag, niet op dinsdag.",
    "Dit was een half uur, geen twee uur.",
]


def _user(email: str) -> User:
    return User.objects.get(email__iexact=email)


class _Plan:
    """Who does what, drawn once from the seed."""

    def __init__(self, cooperative, rng):
        self.rng = rng
        residents = list(
            Membership.objects.filter(cooperative=cooperative, is_resident=True)
            .select_related("user")
            .order_by("member_number")
        )
        self.residents = residents
        self.resident = next(m for m in residents if m.user.email == f"bewoner@{DOMAIN}")
        self.coordinator = next(m for m in residents if m.user.email == f"coordinator@{DOMAIN}")
        volunteers = [m for m in residents if m.pk != self.coordinator.pk]
        rng.shuffle(volunteers)
        # The demo resident gives time too, so their own page has something to show.
        volunteers.remove(self.resident)
        self.volunteers = [self.resident, *volunteers[:69]]
        self.places = {p.name: p for p in Place.objects.filter(cooperative=cooperative)}
        self.partners = {
            p.name: p for p in PartnerOrganisation.objects.filter(cooperative=cooperative)
        }
        self.teams = {}
        start = 0
        for name, _description, _place, _hours, size, _often in ACTIVITIES:
            team = [self.volunteers[(start + i) % len(self.volunteers)] for i in range(size)]
            self.teams[name] = team
            start += size // 2 + 3
        self.placed = {
            (activity, partner): self.teams[activity][:count]
            for activity, partner, count in PLACEMENTS
        }

    def day(self, on_date: datetime.date, hours_on: dict) -> list[dict]:
        """What happened on one day: a list of contributions to log."""
        rng = self.rng
        happened = []
        for name, _description, place, hours, _size, often in ACTIVITIES:
            if name == "Gedeelde maaltijd" and on_date.weekday() not in (1, 4):
                continue
            if name == "Moestuin" and on_date.month in (12, 1, 2) and rng.random() < 0.7:
                continue
            chance = often / (2 if name == "Gedeelde maaltijd" else 7)
            for person in self.teams[name]:
                if rng.random() >= chance:
                    continue
                given = Decimal(rng.choice(hours))
                if hours_on.get((person.pk, on_date), Decimal("0")) + given > 10:
                    continue
                hours_on[(person.pk, on_date)] = hours_on.get((person.pk, on_date), 0) + given
                fields = {"person": person, "activity": name, "hours": given, "date": on_date}
                fields["place"] = self.places.get(place) if place else None
                partner = next(
                    (
                        organisation
                        for (activity, organisation), team in self.placed.items()
                        if activity == name and person in team
                    ),
                    None,
                )
                if partner and rng.random() < 0.5:
                    fields["beneficiary_partner"] = self.partners[partner]
                    fields["place"] = None
                elif name in ("Burenhulp", "Taalmaatje"):
                    helped = rng.choice(self.residents)
                    if helped.pk != person.pk:
                        fields["beneficiary_member"] = helped
                happened.append(fields)
        return happened


def _history_row(cooperative, activities, fields, coordinator_user) -> Contribution:
    """A confirmed contribution of the months before, written directly."""
    person = fields["person"]
    member = fields.get("beneficiary_member")
    partner = fields.get("beneficiary_partner")
    on_behalf = person.user.email is None
    decided_at = timezone.make_aware(
        datetime.datetime.combine(fields["date"] + datetime.timedelta(days=2), datetime.time(10))
    )
    return Contribution(
        cooperative=cooperative,
        contributor=person,
        activity=activities[fields["activity"]],
        hours=fields["hours"],
        place=fields["place"],
        date=fields["date"],
        beneficiary="member" if member else "partner" if partner else "neighbourhood",
        beneficiary_member=member,
        beneficiary_partner=partner,
        status=ContributionStatus.CONFIRMED,
        logged_by=coordinator_user if on_behalf else person.user,
        logged_at=decided_at - datetime.timedelta(days=1),
        decided_by=member.user if member else coordinator_user,
        decided_at=decided_at,
    )


def _log(cooperative, activities, fields, coordinator_user) -> Contribution:
    """A recent contribution through the service: residents without an e-mail address have
    the coordinator log for them."""
    person = fields["person"]
    member = fields.get("beneficiary_member")
    partner = fields.get("beneficiary_partner")
    on_behalf = person.user.email is None
    return services.log_contribution(
        cooperative,
        actor=coordinator_user if on_behalf else person.user,
        contributor=person if on_behalf else None,
        activity=activities[fields["activity"]],
        hours=fields["hours"],
        date=fields["date"],
        place=fields["place"],
        beneficiary="member" if member else "partner" if partner else "neighbourhood",
        beneficiary_member=member,
        beneficiary_partner=partner,
    )


def _decide(contribution, rng, coordinator_user, today) -> str:
    """Most are confirmed within days; the last few days mostly wait; a few are declined."""
    age = (today - contribution.date).days
    if age < 4 and rng.random() < 0.7 or rng.random() < 0.08:
        return "waiting"
    receiver = contribution.beneficiary_member
    decider = receiver.user if receiver is not None else coordinator_user
    if contribution.contributor.user_id == coordinator_user.pk and receiver is None:
        decider = None  # the coordinator's own hours: confirmed by the system in the demo
    if rng.random() < 0.06:
        services.decline_contribution(
            contribution, actor=decider, reason=rng.choice(DECLINE_REASONS)
        )
        return "declined"
    services.confirm_contribution(contribution, actor=decider)
    return "confirmed"


def _earn_a_share(cooperative, plan, coordinator_user) -> bool:
    """Where the articles allow it, the volunteer who gave the most confirmed hours and holds
    no share yet asks for one paid in kind; it waits for the board."""
    share_class = ShareClass.objects.filter(
        cooperative=cooperative, hours_per_share__isnull=False
    ).first()
    if share_class is None:
        return False
    holders = set(
        ShareLot.objects.filter(share_class=share_class).values_list("membership_id", flat=True)
    ) | set(
        Subscription.objects.filter(share_class=share_class).values_list("membership_id", flat=True)
    )
    candidates = [
        (selectors.hours_to_spare(volunteer), -volunteer.member_number, volunteer)
        for volunteer in plan.volunteers
        if volunteer.pk not in holders
    ]
    hours, _number, volunteer = max(candidates, key=lambda candidate: candidate[:2])
    if hours < share_class.hours_per_share:
        return False
    actor = volunteer.user if volunteer.user.email else coordinator_user
    services.ask_share_for_hours(volunteer, actor=actor)
    return True


@transaction.atomic
def _build(cooperative, stdout) -> None:
    coordinator_user = _user(f"coordinator@{DOMAIN}")
    rng = random.Random(2533)
    activities = {
        name: services.add_activity(
            cooperative, actor=coordinator_user, name=name, description=description
        )
        for name, description, *_rest in ACTIVITIES
    }
    plan = _Plan(cooperative, rng)
    today = timezone.localdate()
    hours_on: dict = {}
    history = []
    recent = []
    for back in range(DAYS, -1, -1):
        on_date = today - datetime.timedelta(days=back)
        for fields in plan.day(on_date, hours_on):
            (recent if back < THROUGH_SERVICES else history).append(fields)
    Contribution.objects.bulk_create(
        [_history_row(cooperative, activities, f, coordinator_user) for f in history],
        batch_size=500,
    )
    # Written in bulk, so the summary of time given is made afresh from them.
    summary.rebuild(cooperative)
    # Someone helped the demo resident this week: it waits for them to confirm.
    recent.append(
        {
            "person": plan.teams["Burenhulp"][1],
            "activity": "Burenhulp",
            "hours": Decimal("1"),
            "date": today - datetime.timedelta(days=1),
            "place": None,
            "beneficiary_member": plan.resident,
        }
    )
    outcomes = {"confirmed": 0, "waiting": 0, "declined": 0}
    for fields in recent:
        contribution = _log(cooperative, activities, fields, coordinator_user)
        if fields.get("beneficiary_member") == plan.resident:
            outcomes["waiting"] += 1
            continue
        outcomes[_decide(contribution, rng, coordinator_user, today)] += 1
    for index in ON_THE_WALL:
        volunteer = plan.volunteers[index]
        first, *rest = volunteer.user.full_name.split(" ")
        shown = f"{first} {rest[-1][0]}." if rest else first
        actor = volunteer.user if volunteer.user.email else coordinator_user
        services.join_thank_you_wall(volunteer, actor=actor, display_name=shown)
    earned = _earn_a_share(cooperative, plan, coordinator_user)
    stdout.write(
        f"  {cooperative.name}: {len(activities)} activities, {len(history)} contributions of "
        f"the months before and {len(recent)} recent ones ({outcomes['confirmed']} confirmed, "
        f"{outcomes['waiting']} waiting, {outcomes['declined']} declined), "
        f"{len(ON_THE_WALL)} names on the thank-you wall"
        + (", 1 share asked for with hours given" if earned else "")
    )


def build(stdout) -> None:
    cooperative = Cooperative.objects.filter(slug=SLUG).first()
    if cooperative is None:
        return
    if Activity.objects.filter(cooperative=cooperative).exists():
        stdout.write(f"  {SLUG} already has its time given")
        return
    _build(cooperative, stdout)
