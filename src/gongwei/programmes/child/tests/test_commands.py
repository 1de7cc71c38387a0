"""The nightly refresh command and the indicator benchmark."""

import io
from datetime import date

from django.core.management import call_command

from gongwei.care.models import Enrolment
from gongwei.programmes.child import actions
from gongwei.programmes.child.bench import bench_child_indicators


def test_child_refresh_moves_missed_windows(county, make_resident, rf_for):
    r = make_resident(county.v11, "刷新童", birth_date=date(2026, 1, 15), id_number=None)
    e = actions.do_enrol_child(rf_for(county.user("doctor_v11")), r, date(2026, 1, 15))
    out = io.StringIO()
    call_command("child_refresh", today=date(2026, 4, 20), stdout=out)
    assert "moved: 1" in out.getvalue()
    # The 3-month check: due 2026-04-15, on time until 2026-05-14 (NORMS §2.2).
    e = Enrolment.objects.get(pk=e.pk)
    assert (e.next_due, e.window_end) == (date(2026, 4, 15), date(2026, 5, 14))


def test_bench_prints_the_total_for_the_county(county):
    out = io.StringIO()
    figures = bench_child_indicators(out, repeat=1, prepare=False)
    assert "child_indicators_county_year_ms: " in out.getvalue()
    assert figures["child_indicators_county_year_ms"] >= 0
    assert all(f"child_{name}_ms" in figures for name in ("newborn_visit", "health_management", "systematic_0_3",
                                                            "systematic_0_6", "infant_mortality", "u5_mortality"))
