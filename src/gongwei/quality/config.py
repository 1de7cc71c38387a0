"""Thresholds of the data-quality checks: data, not code (STYLE: "our own habits").

NORMS gives no plausibility ranges and no daily visit capacity; every number below is a
local decision, marked (local), and a county may override any of them in its settings::

    GONGWEI_QUALITY = {"max_visits_per_doctor_day": 30}
"""

from dataclasses import dataclass, fields, replace

from django.conf import settings


@dataclass(frozen=True)
class Thresholds:
    # (local) Plausible for a living adult at a resting measurement; the follow-up form
    # refuses only values no device shows (60–300 / 30–200), so these catch typing slips
    # the form let through, e.g. 18/80 for 180/80.
    sbp_low: int = 70
    sbp_high: int = 260
    dbp_low: int = 40
    dbp_high: int = 150
    # (local) Fasting plasma glucose in mmol/L; glucometers read about 1.1–33.3.
    fpg_low: float = 1.0
    fpg_high: float = 35.0
    # NORMS §7.7 "anomaly detection (identical vitals)": this many follow-ups in a row with
    # the same SBP, DBP and weight. (local) 4 is a year of quarterly visits; real patients'
    # readings vary at least by a few mmHg or 0.5 kg within a year.
    copied_run_length: int = 4
    # NORMS §7.7 "impossible visit density". (local) A face-to-face follow-up takes 10–20
    # minutes with travel between homes; more than 40 in one day is not one doctor's work.
    max_visits_per_doctor_day: int = 40


def current() -> Thresholds:
    """The defaults with the county's overrides from ``settings.GONGWEI_QUALITY``."""
    overrides = getattr(settings, "GONGWEI_QUALITY", {}) or {}
    known = {f.name for f in fields(Thresholds)}
    unknown = set(overrides) - known
    if unknown:
        # A misspelt key would otherwise silently keep the default.
        raise ValueError(f"GONGWEI_QUALITY has unknown keys: {sorted(unknown)}")
    return replace(Thresholds(), **overrides)
