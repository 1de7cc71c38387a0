"""Records of the maternal programme in 一村 (v11) for the scope walk (web/tests/test_scope.py).

A pregnant woman with a high-risk case, PMTCT results and a check, and a second
woman whose maternal death is registered; the marker words appear only on their pages.
"""

from datetime import date

from .. import actions
from ..models import HighRiskCase
from .helpers import antenatal, book, deliver, fresh

CASE_MARKER = "专案计划机密词"
PMTCT_MARKER = "母婴阻断机密词"
DEATH_MARKER = "死因机密词"


def build(county, make_resident, rf_for, resident):
    doctor = rf_for(county.user("doctor_v11"))
    her = make_resident(county.v11, "甄孕妇", sex="2", birth_date=date(1995, 4, 1))
    p = book(doctor, her, conditions=["epilepsy"])
    # No referral: the walk's fixture takes "the" referral of v11 with Referral.objects.get().
    antenatal(doctor, p, date(2026, 5, 1))
    HighRiskCase.objects.filter(pregnancy=p).update(responsible=county.user("doctor_v11"), case_plan=CASE_MARKER,
                                                    designated_hospital="县人民医院")
    actions.do_record_screening(rf_for(county.user("mch_t1")), fresh(p), {
        "hiv_result": "1", "hiv_date": date(2026, 3, 3), "syphilis_result": "1", "syphilis_date": date(2026, 3, 3),
        "hbsag_result": "1", "hbsag_date": date(2026, 3, 3), "note": PMTCT_MARKER})
    other = make_resident(county.v11, "甄产妇", sex="2", birth_date=date(1992, 7, 1))
    q = book(doctor, other)
    deliver(doctor, q, date(2026, 10, 5), discharge=date(2026, 10, 8))
    death = actions.do_register_maternal_death(doctor, fresh(q), date(2026, 10, 15), DEATH_MARKER)
    return ({"pregnancy": p.pk, "maternal_enrolment": p.enrolment_id, "maternal_death": death.pk},
            ["甄孕妇", "甄产妇", CASE_MARKER, PMTCT_MARKER, DEATH_MARKER])
