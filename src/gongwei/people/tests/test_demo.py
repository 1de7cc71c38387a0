"""The demo residents (people/demo.py): valid IDs, record numbers, households, duplicates,
and the same data for the same seed."""

import hashlib
import random
from collections import Counter
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db.models import Count, F, Q

from gongwei.orgs.demo import generate_county
from gongwei.orgs.models import Role, User
from gongwei.people import demo
from gongwei.people.derived import next_record_numbers
from gongwei.people.idnumber import agrees_with, validate
from gongwei.people.models import (HealthRecord, Household, HouseholdMembership, RecordSerial,
                                   Resident)

TODAY = date(2025, 6, 1)
COUNT = 2_000
SEED = 7


def age_on(birth: date, day: date = TODAY) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@pytest.fixture
def county(db):
    return generate_county(random.Random(1))


@pytest.fixture
def summary(county):
    return demo.generate_residents(random.Random(SEED), county, COUNT, TODAY)


def digest() -> str:
    rows = Resident.objects.order_by("record_number").values_list(
        "record_number", "name", "id_number", "village_id", "sex", "birth_date", "relation_to_head",
        "household__number", "status", "record_created")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def delete_people() -> None:
    Resident.objects.all().delete()  # cascades to health records and memberships
    Household.objects.all().delete()
    RecordSerial.objects.all().delete()


def test_the_count_and_the_summary(summary):
    assert Resident.objects.count() == COUNT == summary.residents
    assert HealthRecord.objects.count() == COUNT
    assert Household.objects.count() == summary.households
    assert summary.duplicates >= 1 and summary.homophones >= 1
    assert "居民：2000 人" in summary.line()


def test_every_id_number_is_valid_and_agrees_with_sex_and_birth_date(summary):
    rows = list(Resident.objects.values("id_number", "sex", "birth_date", "document_type",
                                        "no_id_reason", "registration", "id_reversed"))
    with_id = [r for r in rows if r["id_number"]]
    for r in with_id:
        info = validate(r["id_number"], today=TODAY)
        assert agrees_with(info, sex=r["sex"], birth_date=r["birth_date"]) == []
        assert r["document_type"] == "01"
        assert r["id_reversed"] == r["id_number"][::-1]
        local = info.region_code == demo.COUNTY_REGION
        assert (r["registration"] == "1") == local
    without = [r for r in rows if not r["id_number"]]
    assert without, "some children have only a birth certificate, duplicates have nothing"
    assert all(r["document_type"] in ("12", "00") and r["no_id_reason"] for r in without)
    # Children with only a 出生医学证明: about 1%.
    births = [r for r in without if r["document_type"] == "12"]
    assert 0.002 * COUNT <= len(births) <= 0.03 * COUNT
    assert all(age_on(r["birth_date"]) < 6 for r in births)
    migrants = sum(1 for r in with_id if not r["id_number"].startswith(demo.COUNTY_REGION))
    assert 0.04 * COUNT <= migrants <= 0.2 * COUNT


def test_record_numbers_are_the_village_code_and_a_serial_in_creation_order(summary):
    rows = list(Resident.objects.order_by("record_number")
                .values_list("record_number", "village_id", "record_created"))
    numbers = [n for n, _, _ in rows]
    assert len(set(numbers)) == len(numbers)
    for number, village, _ in rows:
        assert len(number) == 17 and number.isdigit() and number.startswith(village)
    by_village: dict[str, list] = {}
    for number, village, created in rows:
        by_village.setdefault(village, []).append((number, created))
    for village, records in by_village.items():
        assert [int(n[-5:]) for n, _ in records] == list(range(1, len(records) + 1))
        created = [c for _, c in records]
        assert created == sorted(created)
        # The next record of the village continues the sequence.
        assert RecordSerial.objects.get(village_id=village).last == len(records)
    village = next(iter(by_village))
    assert next_record_numbers(village) == [f"{village}{len(by_village[village]) + 1:05d}"]


def test_each_resident_is_in_exactly_one_current_household(summary):
    current = Counter(HouseholdMembership.objects.filter(left__isnull=True)
                      .values_list("resident_id", flat=True))
    assert len(current) == COUNT and set(current.values()) == {1}
    mismatched = HouseholdMembership.objects.filter(
        ~Q(resident__household_id=F("household_id")) | ~Q(joined=F("resident__record_created"))
        | ~Q(relation_to_head=F("resident__relation_to_head"))
        | ~Q(village_id=F("resident__village_id")))
    assert not mismatched.exists()
    heads = Resident.objects.filter(relation_to_head="02")
    assert heads.count() == Household.objects.count()
    assert not Household.objects.exclude(head__relation_to_head="02").exists()
    assert not Household.objects.exclude(head__household_id=F("id")).exists()
    assert not Resident.objects.exclude(address=F("household__address")).exists()
    assert not Household.objects.exclude(number=F("head__record_number")).exists()


def test_families_are_plausible(summary):
    members: dict[int, list] = {}
    rows = Resident.objects.values_list("household_id", "relation_to_head", "sex", "birth_date")
    for row in rows:
        members.setdefault(row[0], []).append(row[1:])
    sizes = Counter(len(m) for m in members.values())
    assert sizes[1] and sizes[2] and sizes[3]
    for family in members.values():
        (head,) = [m for m in family if m[0] == "02"]
        assert age_on(head[2]) >= 18
        head_age = age_on(head[2])
        for relation, sex, birth in family:
            age = age_on(birth)
            assert 0 <= age <= 104
            if relation in ("11", "12"):
                assert sex != head[1] and sex == ("1" if relation == "11" else "2")
                assert abs(age - head_age) <= 15
            elif relation in ("20", "30"):
                assert sex == ("1" if relation == "20" else "2") and head_age - age >= 14
            elif relation in ("41", "42", "43", "44"):
                assert sex == ("1" if relation in ("41", "43") else "2") and head_age - age >= 20
            elif relation in ("51", "52", "53", "54"):
                assert sex == ("1" if relation in ("51", "53") else "2") and age - head_age >= 15
            elif relation in ("28", "38"):
                assert sex == ("1" if relation == "28" else "2")
            else:
                assert relation in ("02", "70"), relation


def test_age_structure_is_that_of_a_rural_county(summary):
    ages = [age_on(b) for b in Resident.objects.values_list("birth_date", flat=True)]
    share_65 = sum(1 for a in ages if a >= 65) / len(ages)
    share_children = sum(1 for a in ages if a < 15) / len(ages)
    # Census 2020, rural: 65+ = 17.7%, 0-14 about 20%.
    assert 0.13 <= share_65 <= 0.25
    assert 0.12 <= share_children <= 0.26
    men = sum(1 for s in Resident.objects.values_list("sex", flat=True) if s == "1")
    assert 0.45 <= men / COUNT <= 0.55


def test_dates_doctors_and_statuses(summary):
    earliest = TODAY - timedelta(days=3653)  # records of the last ten years
    for r in Resident.objects.values("birth_date", "record_created", "status", "status_date",
                                     "death_cause", "residence_since", "registration"):
        assert r["birth_date"] <= r["record_created"] <= TODAY
        assert r["record_created"] >= earliest
        if r["status"] == "active":
            assert r["status_date"] is None
        else:
            assert r["record_created"] < r["status_date"] <= TODAY
        if r["status"] == "dead":
            assert r["death_cause"]
        if r["registration"] == "1":
            assert r["residence_since"] is None
        else:
            assert r["birth_date"] <= r["residence_since"] <= r["record_created"]
    statuses = Counter(Resident.objects.values_list("status", flat=True))
    assert statuses["active"] > 0.95 * COUNT
    assert statuses["dead"] and statuses["moved"]
    doctors = dict(User.objects.filter(role=Role.VILLAGE_DOCTOR).values_list("id", "unit_id"))
    for village, doctor in Resident.objects.values_list("village_id", "doctor_id"):
        assert doctors[doctor] == village
    assert Resident.objects.filter(~Q(phone=""), birth_date__lte=date(1990, 1, 1)).count() > (
        0.5 * Resident.objects.filter(birth_date__lte=date(1990, 1, 1)).count())
    assert not HealthRecord.objects.exclude(village_id=F("resident__village_id")).exists()
    assert HealthRecord.objects.exclude(blood_type="5").exists()


def test_likely_duplicates_exist(summary):
    same = (Resident.objects.values("name", "birth_date")
            .annotate(n=Count("id"), no_id=Count("id", filter=Q(id_number__isnull=True)))
            .filter(n__gt=1, no_id__gte=1))
    assert same.count() >= summary.duplicates
    for group in same:
        records = list(Resident.objects.filter(name=group["name"], birth_date=group["birth_date"])
                       .select_related("village"))
        second = [r for r in records if r.id_number is None and r.document_type == "00"]
        if not second:
            continue  # two babies of the same name and day, both on birth certificates
        first = [r for r in records if r.id_number]
        assert first and second[0].no_id_reason
        # The same village or another one of the same township.
        assert {r.village.parent_id for r in records} == {first[0].village.parent_id}
    homophones = (Resident.objects.values("name_pinyin", "birth_date")
                  .annotate(names=Count("name", distinct=True)).filter(names__gt=1))
    assert homophones.count() >= summary.homophones


def test_the_same_seed_gives_the_same_residents(county):
    demo.generate_residents(random.Random(SEED), county, 500, TODAY)
    first = digest()
    delete_people()
    demo.generate_residents(random.Random(SEED), county, 500, TODAY)
    assert digest() == first
    delete_people()
    demo.generate_residents(random.Random(SEED + 1), county, 500, TODAY)
    assert digest() != first


def test_the_generator_step_says_what_it_made(county):
    said = []
    ctx = SimpleNamespace(rng=random.Random(3), seed=3, residents=300, today=TODAY,
                          say=said.append, county=county)
    demo.run(ctx)
    assert Resident.objects.count() == 300
    assert len(said) == 1 and said[0].startswith("居民：300 人")
    # Records added later continue the sequence; the automatic keys do not collide.
    village = county.villages[0]
    last = RecordSerial.objects.get(village=village).last
    resident = Resident.objects.filter(village=village).first()
    resident.pk = None
    resident.id_number = resident.id_reversed = None
    [resident.record_number] = next_record_numbers(village.code)
    resident.save()
    assert resident.record_number.endswith(f"{last + 1:05d}")
    household = Household.objects.create(village=village, number="x", address="x")
    assert household.pk > Household.objects.exclude(pk=household.pk).order_by("-pk")[0].pk
