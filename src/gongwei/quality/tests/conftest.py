"""A hypertension patient of 一村 (v11) and a way to record follow-ups the real way."""

from datetime import date

import pytest

from gongwei.care import actions
from gongwei.care.models import Enrolment
from gongwei.programmes.chronic.models import ChronicFollowUp


@pytest.fixture
def patient(county, make_resident, rf_for):
    resident = make_resident(county.v11, "质控甲", birth_date=date(1960, 5, 17))
    enrolment = actions.do_enrol(rf_for(county.user("doctor_v11")), resident, "htn", date(2025, 1, 6))
    return resident, enrolment


@pytest.fixture
def followup(county, rf_for):
    """``followup(enrolment, day, sbp, dbp, weight=70, fpg=None)``: a visit with its form row."""

    def _record(enrolment, day, sbp, dbp, weight=70, fpg=None, by="doctor_v11"):
        def save_detail(visit):
            ChronicFollowUp.objects.create(visit=visit, sbp=sbp, dbp=dbp, weight_kg=weight, fpg=fpg)

        visit, _ = actions.do_record_visit(rf_for(county.user(by)), Enrolment.objects.get(pk=enrolment.pk), day,
                                           {"sbp": sbp, "dbp": dbp, "fpg": fpg}, save_detail=save_detail)
        return visit

    return _record
