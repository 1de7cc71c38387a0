"""Building pregnancies through the real actions, for the tests."""

from datetime import date

from gongwei.care.models import Enrolment

from .. import actions, rules
from ..models import Pregnancy

LMP = date(2026, 1, 1)   # the rules tests' calendar: 1 Apr is 12+6, EDD 8 Oct


def woman(county, make_resident, name="孕妇", village=None, birth_date=date(1996, 3, 2), **fields):
    return make_resident(village or county.v11, name, sex="2", birth_date=birth_date, **fields)


def book(request, resident, booked_on=date(2026, 3, 1), lmp=LMP, ultrasound=None, conditions=(), gravida=1,
         para=0, **check) -> Pregnancy:
    return actions.do_register_pregnancy(request, resident, {
        "booked_on": booked_on, "lmp": lmp, "ultrasound": ultrasound, "gravida": gravida, "para": para},
        {"classification": "1", **check}, conditions)


def fresh(p: Pregnancy) -> Pregnancy:
    """The pregnancy as a view would load it (with its current enrolment version)."""
    return Pregnancy.objects.select_related("enrolment", "resident").get(pk=p.pk)


def antenatal(request, p, day, conditions=(), **check):
    return actions.do_record_antenatal(request, fresh(p), day, {"classification": "1", **check}, conditions)


def deliver(request, p, day, discharge=None, outcome="1", live=1, still=0, place="1", mode="1"):
    return actions.do_record_delivery(request, fresh(p), {
        "date": day, "discharge_date": discharge, "outcome": outcome, "live_births": live, "stillbirths": still,
        "place": place, "institution": "县妇幼保健院" if place != "2" else "", "mode": mode if outcome != "3" else ""})


def postpartum(request, p, kind, day, conditions=(), **data):
    return actions.do_record_postpartum(request, fresh(p), kind, day, {"classification": "1", **data}, conditions)


def enrolment(p) -> Enrolment:
    return Enrolment.objects.get(pk=p.enrolment_id)


def ultrasound(scan, weeks, days=0):
    return rules.Ultrasound.of(scan, weeks, days)
