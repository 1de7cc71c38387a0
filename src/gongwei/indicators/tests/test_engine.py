"""Stored indicators: villages from the records, every level the sum of the one below, and
each figure opens the residents behind it. Hand-worked values: see the docstring of
programmes/chronic/tests/test_indicators.py (second quarter of 2026, hypertension)."""

from gongwei.audit.models import Action, AuditEvent
from gongwei.care.periods import quarter
from gongwei.indicators import engine
from gongwei.indicators.models import IndicatorValue
from gongwei.programmes.chronic.tests.test_indicators import hand_built  # noqa: F401  (fixture)

Q2 = quarter(2026, 2)


def values(code):
    return {v.unit_id: (int(v.numerator), int(v.denominator))
            for v in IndicatorValue.objects.filter(indicator=code, period_kind="quarter", period_start=Q2.start)}


def test_every_level_is_stored_and_adds_up(hand_built):
    c = hand_built
    engine.compute(Q2)
    standard = values("htn.standard")
    assert standard[c.v11.code] == (2, 2) and standard[c.v12.code] == (0, 1) and standard[c.v13.code] == (0, 0)
    assert standard[c.t1.code] == (2, 3)
    assert standard[c.county.code] == tuple(map(sum, zip(*(v for k, v in standard.items() if len(k) == 12))))


def test_recomputing_replaces_not_duplicates(hand_built):
    engine.compute(Q2)
    engine.compute(Q2)
    assert IndicatorValue.objects.filter(indicator="htn.control", unit=hand_built.t1, period_kind="quarter").count() == 1


def test_overview_shows_numerator_and_denominator_with_a_link(client, hand_built):
    client.force_login(hand_built.user("ph_t1"))
    page = client.get("/indicators/", {"programme": "htn", "period": "quarter", "value": "2026-2"}).content.decode()
    assert "66.67%" in page and "2 / 3" in page
    assert f"/indicators/htn.standard/{hand_built.t1.code}/" in page


def test_clicking_a_rate_lists_exactly_the_residents_behind_it(client, hand_built):
    client.force_login(hand_built.user("ph_t1"))
    page = client.get(f"/indicators/htn.standard/{hand_built.t1.code}/",
                      {"period": "quarter", "value": "2026-2"}).content.decode()
    # Denominator: 甲 乙 (一村) and 丙 (二村); numerator: 甲 乙. 戊 died before the quarter.
    for name in ("甲", "乙", "丙"):
        assert f">{name}</a>" in page
    assert ">戊</a>" not in page and ">丁</a>" not in page
    assert page.count('class="badge bad"') == 1  # 丙, followed up by phone only
    assert AuditEvent.objects.filter(action=Action.VIEW, object_type="indicator_members").exists()


def test_drill_down_outside_the_scope_is_not_found(client, hand_built):
    client.force_login(hand_built.user("doctor_v12"))
    assert client.get(f"/indicators/htn.standard/{hand_built.v11.code}/").status_code == 404


def test_dashboard_reads_stored_values_and_links_down_the_tree(client, hand_built):
    from gongwei.care.periods import month, year_to_date
    from django.utils import timezone

    c = hand_built
    engine.compute(year_to_date(timezone.localdate()), ["htn.control"])
    engine.compute(month(2026, 4), ["htn.control"])
    client.force_login(c.user("county_admin"))
    page = client.get("/indicators/dashboard/", {"indicator": "htn.control"}).content.decode()
    assert f"?unit={c.t1.code}&indicator=htn.control" in page  # township row drills down
    assert "dashboard-data" in page and 'src="http' not in page
    page = client.get("/indicators/dashboard/", {"indicator": "htn.control", "unit": c.t1.code}).content.decode()
    assert f"/indicators/htn.control/{c.v11.code}/" in page  # village row opens its residents


def test_dashboard_of_another_township_is_not_found(client, hand_built):
    client.force_login(hand_built.user("ph_t2"))
    assert client.get("/indicators/dashboard/", {"unit": hand_built.t1.code}).status_code == 404
