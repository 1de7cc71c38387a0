from datetime import date

import pytest

from gongwei.indicators import targets as plan
from gongwei.indicators.models import Target
from gongwei.programmes.chronic.tests.test_indicators import hand_built  # noqa: F401  (fixture)


def test_county_sets_township_targets_and_township_breaks_them_down(client, county):
    client.force_login(county.user("county_admin"))
    response = client.post("/indicators/targets/", {
        "indicator": "htn.standard", "year": "2026",
        f"value_{county.t1.code}": "60", f"pacing_{county.t1.code}": "custom", f"shares_{county.t1.code}": "40/40/20",
        f"value_{county.t2.code}": "55", f"pacing_{county.t2.code}": "flat"})
    assert response.status_code == 302
    assert Target.objects.get(unit=county.t1).shares == [40, 40, 20]
    client.force_login(county.user("ph_t1"))
    client.post("/indicators/targets/", {"indicator": "htn.standard", "year": "2026",
                                         f"value_{county.v11.code}": "70", f"pacing_{county.v11.code}": "even"})
    assert Target.objects.get(unit=county.v11).value == 70


def test_a_township_cannot_set_another_townships_villages(county, rf_for):
    with pytest.raises(plan.TargetError):
        plan.do_set_targets(rf_for(county.user("ph_t1")), 2026, "htn.standard",
                            [{"unit": county.v21.code, "value": 50, "pacing": "even", "shares": []}])


def test_bad_target_is_explained_and_kept(client, county):
    client.force_login(county.user("county_admin"))
    page = client.post("/indicators/targets/", {"indicator": "htn.standard", "year": "2026",
                                                f"value_{county.t1.code}": "六十"}).content.decode()
    assert "六十" in page and not Target.objects.exists()


def test_copy_last_year(county, rf_for):
    request = rf_for(county.user("county_admin"))
    plan.do_set_targets(request, 2025, "htn.control", [{"unit": county.t1.code, "value": 45, "pacing": "flat", "shares": []}])
    assert plan.do_copy_last_year(request, 2026, "htn.control") == 1
    assert Target.objects.get(year=2026).value == 45


def test_import_is_all_or_nothing_with_row_numbers(county, rf_for):
    table = [["年度", "指标代码", "机构代码", "目标值", "进度方式", "自定义比例"],
             ["2026", "htn.standard", county.t1.code, "60", "按季度", ""],
             ["2026", "no.such", county.t2.code, "60", "按月", ""]]
    with pytest.raises(plan.TargetError) as error:
        plan.do_import(rf_for(county.user("county_admin")), table)
    assert "3" in str(error.value) and not Target.objects.exists()
    plan.do_import(rf_for(county.user("county_admin")), table[:2])
    assert Target.objects.get().pacing == "quarterly"


def test_progress_compares_actual_expected_and_target(hand_built, rf_for):
    c = hand_built
    # Control rate, flat 90% (hand-built county, chronic test docstring). January–June 2026
    # in 一镇: managed 甲 乙 丙 and 戊 (managed until her death on 03-01) = 4; last follow-up
    # controlled for 甲 (130/80), 乙 (128/78), 丙 (130/80) = 3 → 75%. Amber needs ≥ 90 × 0.9
    # = 81, so 75 is red.
    plan.do_set_targets(rf_for(c.user("county_admin")), 2026, "htn.control",
                        [{"unit": c.t1.code, "value": 90, "pacing": "flat", "shares": []}])
    [row] = plan.progress(c.user("county_admin"), date(2026, 6, 30))
    assert (row.actual, row.expected, row.status) == (75.0, 90.0, "red")
