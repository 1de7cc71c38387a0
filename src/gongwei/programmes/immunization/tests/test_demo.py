"""The immunization demo step: who gets a card and doses, in realistic shares, and that its
bulk-written rows are exactly what the actions would have written (recomputed here through
actions.recompute, which judges the doses and stores the schedule as do_record_dose does)."""

import random
from datetime import date

import pytest
from django.db.models import F

from gongwei.care.models import Enrolment
from gongwei.orgs.demo import generate_county
from gongwei.people.demo import generate_residents
from gongwei.people.models import Resident, Status
from gongwei.programmes.immunization import actions, demo, rules
from gongwei.programmes.immunization.models import AEFI, DoseRecord, NextDose, VaccinationCard

from .helpers import clock  # noqa: F401 - a fixture

# Not later than the day the suite runs: the actions refuse dates in the future.
TODAY = date(2026, 11, 16)
RESIDENTS = 4_000


@pytest.fixture
def county(db, clock):
    clock(TODAY)
    rng = random.Random(11)
    county = generate_county(rng)
    generate_residents(rng, county, RESIDENTS, TODAY)
    summary = demo.generate_cards(random.Random(5), county, TODAY)
    return county, summary


def _stored(card):
    e = Enrolment.objects.get(pk=card.enrolment_id)
    doses = list(DoseRecord.objects.filter(resident_id=card.resident_id).order_by("date", "id").values_list(
        "vaccine", "dose", "date", "series", "counted_as", "validity", "validity_reason", "timely"))
    nexts = sorted(NextDose.objects.filter(card=card).values_list(
        "series", "dose", "vaccine", "earliest", "recommended", "overdue_from", "catch_up_from", "too_late_from"))
    return (e.next_due, e.window_end, e.last_visit_on, e.version, doses, nexts,
            VaccinationCard.objects.get(pk=card.pk).refresh_on)


def test_the_children_under_seven_get_cards_mostly_in_time(county):
    _, summary = county
    children = Resident.objects.filter(status=Status.ACTIVE, birth_date__gt=rules.last_birth_aged(TODAY),
                                       birth_date__lte=TODAY)
    assert summary.children == children.count() > 100
    cards = VaccinationCard.objects.select_related("resident", "enrolment")
    assert summary.cards == cards.count() >= 0.95 * summary.children     # only the newest lack one
    for card in cards:
        r = card.resident
        assert card.village_id == r.village_id == card.enrolment.village_id
        assert r.birth_date <= card.date <= TODAY and card.clinic_id == r.village_id[:9]
        assert card.due_by == rules.card_due_date(r.birth_date, r.registration, r.residence_since)
    assert 0.85 < summary.cards_on_time / summary.cards < 0.97
    assert cards.filter(migrant=True).exists()


def test_dose_histories_are_mostly_valid_with_a_few_too_early(county):
    _, summary = county
    doses = DoseRecord.objects.all()
    assert doses.count() == summary.doses > 8 * summary.cards
    assert not doses.filter(date__gt=TODAY).exists()
    invalid = doses.exclude(validity="valid").count()
    assert 0 < invalid < 0.01 * summary.doses
    assert doses.filter(validity="too_early").exists()
    # Birth doses at the birth hospital, the rest at the township clinic by its staff.
    assert doses.filter(series="HepB", counted_as=1, clinic__isnull=True).exclude(elsewhere="").count() > 0.8 * \
        doses.filter(series="HepB", counted_as=1).count()
    assert not doses.filter(clinic__isnull=False, vaccinator__isnull=True).exists()
    hepb1 = doses.filter(series="HepB", counted_as=1)
    assert 0.85 < hepb1.filter(timely=True).count() / hepb1.count() < 0.99
    # Before 2025 DT at 6 years, afterwards the 6-year DTaP (NORMS §3.1 [S35]).
    assert not doses.filter(vaccine="DT", date__gte=date(2025, 3, 1)).exists()
    assert not doses.filter(vaccine="DTaP", counted_as=5, date__lt=date(2025, 1, 1)).exists()


def test_most_children_are_up_to_date_some_are_behind(county):
    _, summary = county
    assert 0 < summary.overdue + summary.catch_up < 0.4 * summary.cards
    assert summary.due > 0 and 0 < summary.aefis <= 3
    assert AEFI.objects.count() == summary.aefis
    assert not AEFI.objects.filter(onset_date__lt=F("dose__date")).exists()
    assert not AEFI.objects.filter(reported_on__gt=TODAY).exists()


def test_the_rows_are_exactly_what_the_actions_would_have_written(county):
    cards = list(VaccinationCard.objects.order_by("pk"))
    sample = random.Random(3).sample(cards, 60)
    for card in sample:
        before = _stored(card)
        actions.recompute(card, TODAY)
        after = _stored(card)
        # Same verdicts and next doses; the enrolment moved on by one version.
        assert after[:3] == before[:3] and after[4:] == before[4:], card.resident_id
        assert after[3] == before[3] + 1
        assert before[3] == 2 + len(before[4])


def test_running_the_step_again_leaves_the_cards_made_and_draws_the_children_without(county):
    c, summary = county
    before = set(VaccinationCard.objects.values_list("pk", "resident_id", "date"))
    doses = DoseRecord.objects.count()
    again = demo.generate_cards(random.Random(6), c, TODAY)
    assert again.children == summary.children - summary.cards
    after = set(VaccinationCard.objects.values_list("pk", "resident_id", "date"))
    assert before <= after and len(after - before) == again.cards
    assert DoseRecord.objects.count() == doses + again.doses
