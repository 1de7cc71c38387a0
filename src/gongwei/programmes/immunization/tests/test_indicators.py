"""Immunization indicators on a hand-built township, first quarter of 2026 (NORMS §3, §5.2).

一镇 (t1) = 一村 (v11) + 二村 (v12); month ages by NORMS §2.2.

Cards (imm.card; children of this place by 1 month of birth, migrants 3 months after arriving)
  v11 A  born 01-10, card 02-05 ≤ 02-10 ............................ in time
      B  born 02-20, card 03-25 > 03-20 ............................ late
      C  born 03-31, card 04-30 ≤ 04-30 (03-31 + 1 month, clamped) .. in time (after the quarter)
      G  born 01-15, card 01-17, died 01-20 ......................... in time (had its card)
      G2 born 01-25, died 02-01 without a card ...................... not counted (left before 02-25)
      D  migrant born 2024-06-01, here since 2025-11-15 → 3 months on 2026-02-15, card 02-10 .. in time
      E  migrant born 2023-05-05, here since 2025-10-05 → 2026-01-05, no card ................ not
      F  migrant here since 2026-02-01 → 05-01, after the quarter ........................ not counted
  v12 H  born 03-01, card 03-20 ≤ 04-01 ............................ in time
  v11: 4 / 6 (A, C, D, G of A, B, C, D, E, G); v12: 1 / 1; t1: 5 / 7.

HepB dose 1 within 24 h (imm.timely_hepb1; live births of the quarter)
  v11: A (01-10, day 0) yes, B (02-22, day 2) no, C (03-31) yes, G (01-15) yes, G2 none → 3 / 5
  v12: H (03-03, day 2) no → 0 / 1;  t1: 3 / 6.

Coverage (imm.coverage.*; children under 7 on 03-31, on the register then, old enough for the
dose by then; a valid dose given by 03-31)
  bcg (birth): v11 A, B, C, D, E, F, J, K, N, P (G, G2 died) — BCG: A, J, K (C's on 04-01 is
      late for the quarter) → 3 / 10; v12 H, L, M, O — BCG: H, L, M → 3 / 4; t1 6 / 14.
  dtap3 (6 months: born by 2025-09-30): v11 D, E, F, J, K, N, P — J, K → 2 / 7;
      v12 L, M, O — L, M → 2 / 3; t1 4 / 10.

全程接种 (imm.full; turned 12 months in the quarter: born 2025-01-01..03-31; the 14 doses
recommended by 12 months, valid, before the first birthday)
  v11 J born 2025-01-20, every dose at its recommended age ............. full
      K born 2025-02-10, JE-I 1 + 2 instead of JE-L 1, no MPSV-A 2 ....... not full
  v12 L born 2025-03-05, every dose, JE-I 1 + 2 (the alternative) ........ full
      M born 2025-03-15, MMR 1 on its first birthday (2026-03-15) ......... not full
  v11: 1 / 2; v12: 1 / 2; t1: 2 / 4.

  mmr1 and je1 (8 months: born by 2025-07-31): v11 D, E, F, J, K, N, P; v12 L, M, O.
      N born 2025-06-10: MMR 1 and JE-L 1 on 2026-02-10 ............... both
      P born 2025-07-31: MMR 1 on 2026-04-05 (after the quarter); JE-I 1 on 03-01, before 8
        months (03-31): invalid ........................................ neither
      J and M have MMR 1 and JE-L 1 (M's MMR 1 at 12 months is late but valid), K and L
      JE-I 1; D, E, F and O nothing.
      mmr1: v11 J, K, N → 3 / 7; v12 L, M → 2 / 3; t1 5 / 10.
      je1:  v11 J, K, N → 3 / 7; v12 L, M → 2 / 3; t1 5 / 10.
"""

from datetime import date, timedelta

import pytest

from gongwei.care import indicators as registry
from gongwei.care.periods import quarter
from gongwei.people import services as people
from gongwei.people.models import Resident
from gongwei.programmes.immunization.schedule import GivenDose, add_months, fully_vaccinated

from .helpers import child, clock, give, issue  # noqa: F401 - clock is a fixture

Q1 = quarter(2026, 1)
HOSPITAL = {"elsewhere": "县人民医院"}


def first_year(born: date, je: str = "JE-L", skip=(), moved=None):
    """The 14 doses by 12 months at their recommended ages (2025 schedule)."""
    m = lambda n: add_months(born, n)  # noqa: E731
    doses = [("HepB", 1, born), ("BCG", 1, born), ("HepB", 2, m(1)), ("IPV", 1, m(2)), ("DTaP", 1, m(2)),
             ("IPV", 2, m(3)), ("bOPV", 3, m(4)), ("DTaP", 2, m(4)), ("HepB", 3, m(6)), ("DTaP", 3, m(6)),
             ("MPSV-A", 1, m(6)), ("MMR", 1, m(8)), ("MPSV-A", 2, m(9))]
    doses += [("JE-L", 1, m(8))] if je == "JE-L" else [("JE-I", 1, m(8)), ("JE-I", 2, m(8) + timedelta(days=7))]
    doses = [d for d in doses if (d[0], d[1]) not in skip]
    return [(v, k, (moved or {}).get((v, k), day)) for v, k, day in doses]


@pytest.fixture
def township(county, make_resident, rf_for, clock):
    clock(date(2026, 6, 1))
    c = county

    def carded(name, born, card_day, village=c.v11, **fields):
        r = child(c, make_resident, name, born, village=village, **fields)
        if card_day:
            issue(c, rf_for, r, card_day)
        return r

    def doses(r, history):
        for vaccine, k, day in history:
            give(c, rf_for, r, vaccine, k, day, **(HOSPITAL if day == r.birth_date else {}))

    a = carded("A", date(2026, 1, 10), date(2026, 2, 5))
    doses(a, [("HepB", 1, date(2026, 1, 10)), ("BCG", 1, date(2026, 1, 10))])
    b = carded("B", date(2026, 2, 20), date(2026, 3, 25))
    doses(b, [("HepB", 1, date(2026, 2, 22))])
    cc = carded("C", date(2026, 3, 31), date(2026, 4, 30))
    doses(cc, [("HepB", 1, date(2026, 3, 31)), ("BCG", 1, date(2026, 4, 1))])
    g = carded("G", date(2026, 1, 15), date(2026, 1, 17))
    doses(g, [("HepB", 1, date(2026, 1, 15))])
    people.do_register_death(rf_for(c.user("ph_t1")), g, date(2026, 1, 20), "新生儿肺炎")
    g2 = carded("G2", date(2026, 1, 25), None)
    people.do_register_death(rf_for(c.user("ph_t1")), g2, date(2026, 2, 1), "早产")
    carded("D", date(2024, 6, 1), date(2026, 2, 10), registration="2", residence_since=date(2025, 11, 15))
    carded("E", date(2023, 5, 5), None, registration="3", residence_since=date(2025, 10, 5))
    carded("F", date(2024, 1, 1), None, registration="2", residence_since=date(2026, 2, 1))
    h = carded("H", date(2026, 3, 1), date(2026, 3, 20), village=c.v12)
    doses(h, [("HepB", 1, date(2026, 3, 3)), ("BCG", 1, date(2026, 3, 1))])

    j = carded("J", date(2025, 1, 20), date(2025, 2, 1))
    doses(j, first_year(j.birth_date))
    k = carded("K", date(2025, 2, 10), date(2025, 3, 1))
    doses(k, first_year(k.birth_date, je="JE-I", skip={("MPSV-A", 2)}))
    ll = carded("L", date(2025, 3, 5), date(2025, 3, 20), village=c.v12)
    doses(ll, first_year(ll.birth_date, je="JE-I"))
    mm = carded("M", date(2025, 3, 15), date(2025, 3, 25), village=c.v12)
    doses(mm, first_year(mm.birth_date, moved={("MMR", 1): date(2026, 3, 15)}))

    n = carded("N", date(2025, 6, 10), date(2025, 7, 1))
    doses(n, [("MMR", 1, date(2026, 2, 10)), ("JE-L", 1, date(2026, 2, 10))])
    carded("O", date(2025, 7, 20), date(2025, 8, 1), village=c.v12)
    p = carded("P", date(2025, 7, 31), date(2025, 8, 5))
    doses(p, [("JE-I", 1, date(2026, 3, 1)), ("MMR", 1, date(2026, 4, 5))])
    # Another township, to check the scoping.
    q = carded("Q", date(2026, 2, 1), date(2026, 2, 10), village=c.v21)
    doses(q, [("HepB", 1, date(2026, 2, 1))])
    return c


def values(code, county, under=""):
    got = registry.get(code).compute(Q1, under)
    v11, v12 = got.get(county.v11.code, (0, 0)), got.get(county.v12.code, (0, 0))
    return v11, v12, (v11[0] + v12[0], v11[1] + v12[1])


@pytest.mark.parametrize(("code", "v11", "v12", "t1"), [
    ("imm.card", (4, 6), (1, 1), (5, 7)),
    ("imm.timely_hepb1", (3, 5), (0, 1), (3, 6)),
    ("imm.coverage.bcg", (3, 10), (3, 4), (6, 14)),
    ("imm.coverage.dtap3", (2, 7), (2, 3), (4, 10)),
    ("imm.full", (1, 2), (1, 2), (2, 4)),
    ("imm.coverage.mmr1", (3, 7), (2, 3), (5, 10)),
    ("imm.coverage.je1", (3, 7), (2, 3), (5, 10)),
])
def test_village_values_match_the_hand_computation_and_the_township_is_their_sum(township, code, v11, v12, t1):
    assert values(code, township) == (v11, v12, t1)
    # Scoped to the township: the same villages, nothing of 二乡.
    scoped = registry.get(code).compute(Q1, township.t1.code)
    assert set(scoped) <= {township.v11.code, township.v12.code}
    assert values(code, township, township.t1.code) == (v11, v12, t1)


def test_the_drill_down_lists_the_children_behind_the_card_rate(township):
    people_ = registry.get("imm.card").members(Q1, township.t1.code)
    assert {(r.name, r.in_numerator) for r in people_} == {
        ("A", True), ("B", False), ("C", True), ("D", True), ("E", False), ("G", True), ("H", True)}


def test_the_full_vaccination_numerator_agrees_with_the_schedules_own_rule(township):
    # schedule.fully_vaccinated on the day before the first birthday, with the recorded doses.
    full = {r.name for r in registry.get("imm.full").members(Q1, township.t1.code) if r.in_numerator}
    for r in Resident.objects.filter(name__in=["J", "K", "L", "M"]):
        given = [GivenDose(d.vaccine, d.dose, d.date) for d in r.vaccine_doses.all()]
        day_before = add_months(r.birth_date, 12) - timedelta(days=1)
        assert fully_vaccinated(r.birth_date, given, day_before, 12) == (r.name in full), r.name
    assert full == {"J", "L"}


def test_coverage_counts_the_children_old_enough_for_the_dose_at_the_end_of_the_period(township):
    # HepB 3 at 6 months: born by 2025-09-30, under 7; Q (二乡, born 2026-02-01) is too young.
    hepb3 = registry.get("imm.coverage.hepb3").members(Q1, "")
    assert {r.name: r.in_numerator for r in hepb3} == {
        "D": False, "E": False, "F": False, "J": True, "K": True, "N": False, "P": False,
        "L": True, "M": True, "O": False}
    # A month, a quarter and a year ending on 03-31 agree (a snapshot at the period's end).
    from gongwei.care.periods import month
    assert registry.get("imm.coverage.hepb3").compute(month(2026, 3), "") == registry.get(
        "imm.coverage.hepb3").compute(Q1, "")
