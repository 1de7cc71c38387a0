"""Reports on the hand-built county of the chronic programme (see the docstring of
programmes/chronic/tests/test_indicators.py). April 2026, hypertension, worked by hand:

  一村 (v11): 甲 and 乙 managed, both seen face to face in April, last BP controlled:
              managed 2, standard 2, controlled 2; residents 35+ = 2, prevalence 0.5 → 1 estimated
  二村 (v12): 丙 managed, no follow-up in April: managed 1, standard 0, controlled 0
  一镇 (t1) from the approved reports of v11 and v12: managed 3, standard 2 (66.67%),
              controlled 2 (66.67%)
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gongwei.care.periods import month
from gongwei.programmes.chronic.tests.test_indicators import hand_built  # noqa: F401  (fixture)
from gongwei.reports import actions

APRIL = month(2026, 4)
SHANGHAI = ZoneInfo("Asia/Shanghai")

# Manual rows of the basic public health report, as a village would type them.
TYPED = {"edu_lectures": "2", "edu_attendees": "45", "edu_consultations": "1", "edu_boards": "1", "remarks": ""}


def at(year, month_, day, hour=10, minute=0):
    """A moment in county time (the deadlines are county dates)."""
    return datetime(year, month_, day, hour, minute, tzinfo=SHANGHAI)


ON_TIME = at(2026, 5, 15)


@pytest.fixture
def as_user(county, rf_for):
    """``as_user("doctor_v11")``: a request of that user, for calling the actions."""
    return lambda name: rf_for(county.user(name))


@pytest.fixture
def village_report(hand_built, as_user):
    """一村's April basic public health report, filled from the records (a draft)."""
    return actions.do_fill(as_user("doctor_v11"), "bphs_month", hand_built.v11, APRIL, now=at(2026, 5, 3))


def submitted(as_user, county, village_key, typed=None, now=ON_TIME):
    """Fill and submit a village's April report; returns it."""
    report = actions.do_fill(as_user(f"doctor_{village_key}"), "bphs_month", getattr(county, village_key), APRIL,
                             now=now)
    report, _ = actions.do_submit(as_user(f"doctor_{village_key}"), report, typed or TYPED, now=now)
    return report
