"""Shared test helpers: a settable "today", a card, a dose through the real actions."""

from datetime import date

import pytest
from django.utils import timezone

from gongwei.care.models import Enrolment
from gongwei.programmes.immunization import actions


@pytest.fixture
def clock(monkeypatch):
    """``clock(day)`` makes ``timezone.localdate()`` return ``day`` (the actions' "today")."""
    state = {"today": timezone.localdate()}
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: state["today"])

    def set_today(day: date) -> date:
        state["today"] = day
        return day

    return set_today


def child(county, make_resident, name, born, village=None, sex="1", **fields):
    return make_resident(village or county.v11, name, sex=sex, birth_date=born, id_number=None,
                         record_created=born, **fields)


def issue(county, rf_for, resident, day, user="ph_t1"):
    clinic = county.t1 if resident.village_id.startswith(county.t1.code) else county.t2
    return actions.do_issue_card(rf_for(county.user(user)), resident, day, clinic)


def give(county, rf_for, resident, vaccine, dose, day, user="ph_t1", **extra):
    """One dose given here (at the child's township clinic) through do_record_dose."""
    e = Enrolment.objects.select_related("resident").get(vaccination_card__resident=resident)
    here = "elsewhere" not in extra
    clinic = county.t1 if resident.village_id.startswith(county.t1.code) else county.t2
    data = {"vaccine": vaccine, "dose": dose, "date": day, "batch": "B001" if here else "",
            "manufacturer": "某生物制品研究所" if here else "", "site": "", "route": "",
            "clinic": clinic if here else None, "vaccinator": county.user(user) if here else None,
            "elsewhere": "", **extra}
    return actions.do_record_dose(rf_for(county.user(user)), e, data)
