"""The clinic's lists on 2026-06-15 (month end 06-30), worked by hand (NORMS §2.2, §3.1, §3.2).

一镇 (t1):
  A (一村 v11) born 2026-03-10: HepB 1, BCG at birth, HepB 2 on 04-10, IPV 1 and DTaP 1 on 05-10.
    polio 2 from max(3 months 06-10, 05-10 + 28 d = 06-07) = 06-10, overdue from 4 months
    (07-10) → due. DTaP 2 from 4 months (07-10), HepB 3 from 6 months (09-10): not this month.
  B (二村 v12) born 2026-01-05: HepB 1 and BCG at birth only. HepB 2 from 02-05, overdue from 2
    months (03-05); polio 1 and DTaP 1 from 03-05, overdue from 3 months (04-05); catch-up only
    from 12 months → overdue. Nothing else can be given in June (MPSV-A 1 from 07-05).
  C (一村 v11) born 2026-05-20: HepB 1 on 05-25. BCG from birth, overdue from 1 month (06-20);
    HepB 2 from max(1 month 06-20, 05-25 + 28 d = 06-22) = 06-22, overdue from 07-20 → due.
  E (一村 v11) born 2026-06-10: no card yet (due by 07-10).
二乡 (t2):
  D (四村 v21) born 2025-01-01, card only: HepB 1 past its 24 hours, BCG past 3 months → catch-up.
"""

from datetime import date

import pytest

from gongwei.programmes.immunization import lists, rules

from .helpers import child, clock, give, issue  # noqa: F401 - clock is a fixture

TODAY = date(2026, 6, 15)


@pytest.fixture
def township(county, make_resident, rf_for, clock):
    clock(TODAY)
    at_birth = {"elsewhere": "县人民医院"}
    a = child(county, make_resident, "甲", date(2026, 3, 10))
    issue(county, rf_for, a, date(2026, 3, 20))
    give(county, rf_for, a, "HepB", 1, date(2026, 3, 10), **at_birth)
    give(county, rf_for, a, "BCG", 1, date(2026, 3, 10), **at_birth)
    give(county, rf_for, a, "HepB", 2, date(2026, 4, 10))
    give(county, rf_for, a, "IPV", 1, date(2026, 5, 10))
    give(county, rf_for, a, "DTaP", 1, date(2026, 5, 10))
    b = child(county, make_resident, "乙", date(2026, 1, 5), village=county.v12)
    issue(county, rf_for, b, date(2026, 1, 20))
    give(county, rf_for, b, "HepB", 1, date(2026, 1, 5), **at_birth)
    give(county, rf_for, b, "BCG", 1, date(2026, 1, 5), **at_birth)
    c = child(county, make_resident, "丙", date(2026, 5, 20))
    issue(county, rf_for, c, date(2026, 5, 28))
    give(county, rf_for, c, "HepB", 1, date(2026, 5, 25), **at_birth)
    d = child(county, make_resident, "丁", date(2025, 1, 1), village=county.v21)
    issue(county, rf_for, d, date(2026, 6, 1), user="ph_t2")
    child(county, make_resident, "戊", date(2026, 6, 10))
    return county


def names(user, tab, **filters):
    ids = [row["card_id"] for row in lists.children(user, tab, TODAY, **filters)]
    return [row.card.resident.name for row in lists.rows_for(user, tab, TODAY, ids, filters.get("series"))]


def test_a_township_officer_sees_every_village_of_the_township_in_each_list(township):
    ph = township.user("ph_t1")
    assert names(ph, rules.DUE_TAB) == ["丙", "甲"]           # by first date: 05-20, 06-10
    assert names(ph, rules.OVERDUE_TAB) == ["乙"]
    assert names(ph, rules.CATCH_UP_TAB) == []
    assert names(ph, rules.ALL_TAB) == ["乙", "丙", "甲"]       # 02-05, 05-20, 06-10
    assert names(township.user("ph_t2"), rules.CATCH_UP_TAB) == ["丁"]


def test_a_village_doctor_sees_the_children_of_the_village(township):
    assert names(township.user("doctor_v11"), rules.ALL_TAB) == ["丙", "甲"]
    assert names(township.user("doctor_v12"), rules.ALL_TAB) == ["乙"]
    assert names(township.user("doctor_v13"), rules.ALL_TAB) == []


def test_each_row_shows_the_doses_with_their_earliest_valid_dates(township):
    ph = township.user("ph_t1")
    ids = [row["card_id"] for row in lists.children(ph, rules.ALL_TAB, TODAY)]
    rows = {row.card.resident.name: row for row in lists.rows_for(ph, rules.ALL_TAB, TODAY, ids)}
    assert [(d.series, d.dose, d.earliest, d.status) for d in rows["丙"].doses] == [
        ("BCG", 1, date(2026, 5, 20), "due"), ("HepB", 2, date(2026, 6, 22), "not_yet")]
    assert [(d.series, d.dose, d.earliest, d.status) for d in rows["甲"].doses] == [
        ("polio", 2, date(2026, 6, 10), "due")]
    assert [(d.series, d.dose, d.earliest, d.status) for d in rows["乙"].doses] == [
        ("HepB", 2, date(2026, 2, 5), "overdue"), ("DTaP", 1, date(2026, 3, 5), "overdue"),
        ("polio", 1, date(2026, 3, 5), "overdue")]


def test_the_lists_filter_by_village_and_vaccine(township):
    ph = township.user("ph_t1")
    assert names(ph, rules.ALL_TAB, village=township.v12.code) == ["乙"]
    assert names(ph, rules.ALL_TAB, series="polio") == ["乙", "甲"]
    assert names(ph, rules.DUE_TAB, series="polio") == ["甲"]
    assert names(ph, rules.ALL_TAB, series="BCG") == ["丙"]
    assert names(ph, rules.ALL_TAB, series="MMR") == []


def test_children_without_a_card_are_listed_with_their_deadline(township):
    assert [r.name for r in lists.uncarded(township.user("ph_t1"), TODAY)] == ["戊"]
    assert list(lists.uncarded(township.user("ph_t2"), TODAY)) == []


def test_a_child_leaves_the_list_when_the_dose_is_given(township, rf_for):
    from gongwei.people.models import Resident

    a = Resident.objects.get(name="甲")
    give(township, rf_for, a, "IPV", 2, TODAY)
    assert names(township.user("ph_t1"), rules.DUE_TAB) == ["丙"]
