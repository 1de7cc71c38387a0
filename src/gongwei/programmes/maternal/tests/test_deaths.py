"""Maternal deaths (NORMS §5.5): during pregnancy or within 42 days of its end, reviewed by
the county MCH officer; registering one registers the woman's death."""

from datetime import date

import pytest

from gongwei.care.actions import CareError
from gongwei.care.models import EnrolmentStatus
from gongwei.people import services as people
from gongwei.people.models import Resident

from .. import actions
from ..models import HighRiskCase, MaternalDeath
from .helpers import book, deliver, enrolment, fresh, woman


@pytest.fixture
def doctor(county, rf_for):
    return rf_for(county.user("doctor_v11"))


@pytest.fixture
def delivered(county, make_resident, doctor):
    p = book(doctor, woman(county, make_resident), conditions=["heart_disease"])
    deliver(doctor, p, date(2026, 10, 5), discharge=date(2026, 10, 8))
    return fresh(p)


def test_a_death_ten_days_after_delivery_counts_and_registers_her_death(county, doctor, delivered):
    death = actions.do_register_maternal_death(doctor, delivered, date(2026, 10, 15), "产后出血")
    # 15 Oct − 5 Oct = 10 days ≤ 42.
    assert (death.within_42_days, death.days_after_end, death.counted, death.review_status) == (True, 10, True, "pending")
    r = Resident.objects.get(pk=delivered.resident_id)
    assert (r.status, r.status_date, r.death_cause) == ("dead", date(2026, 10, 15), "产后出血")
    assert enrolment(delivered).status == EnrolmentStatus.DIED
    assert HighRiskCase.objects.get(pregnancy=delivered).closed_on == date(2026, 10, 15)


def test_day_42_counts_and_day_43_does_not(county, make_resident, doctor, delivered):
    # 5 Oct + 42 days = 16 Nov; + 43 = 17 Nov.
    assert actions.within_42_days(delivered, date(2026, 11, 16)) == (True, 42)
    assert actions.within_42_days(delivered, date(2026, 11, 17)) == (False, 43)
    death = actions.do_register_maternal_death(doctor, delivered, date(2026, 11, 17), "脑出血")
    assert not death.counted


def test_a_death_during_pregnancy_counts(county, make_resident, doctor):
    p = book(doctor, woman(county, make_resident))
    death = actions.do_register_maternal_death(doctor, fresh(p), date(2026, 6, 1), "羊水栓塞")
    assert (death.within_42_days, death.days_after_end) == (True, None)


def test_an_accidental_death_is_registered_but_not_counted(county, doctor, delivered):
    death = actions.do_register_maternal_death(doctor, delivered, date(2026, 10, 20), "交通事故", accidental=True)
    assert death.within_42_days and not death.counted


def test_a_death_already_registered_must_agree_on_the_date(county, make_resident, doctor, delivered):
    people.do_register_death(doctor, Resident.objects.get(pk=delivered.resident_id), date(2026, 10, 15), "产后出血")
    with pytest.raises(CareError):
        actions.do_register_maternal_death(doctor, fresh(delivered), date(2026, 10, 16), "产后出血")
    actions.do_register_maternal_death(doctor, fresh(delivered), date(2026, 10, 15), "产后出血")
    with pytest.raises(CareError):
        actions.do_register_maternal_death(doctor, fresh(delivered), date(2026, 10, 15), "产后出血")


def test_the_county_mch_officer_reviews_and_nobody_else(client, county, doctor, delivered):
    death = actions.do_register_maternal_death(doctor, delivered, date(2026, 10, 15), "产后出血")
    url = f"/programmes/maternal/deaths/{death.pk}/review/"
    for name in ("mch_t1", "doctor_v11", "county_admin"):
        client.force_login(county.user(name))
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"review_conclusion": "x", "reviewed_on": "2026-11-01"}).status_code == 403
    client.force_login(county.user("county_mch"))
    assert client.get(url).status_code == 200
    response = client.post(url, {"review_conclusion": "产后出血处理延误，可避免", "avoidability": "1",
                                 "reviewed_on": "2026-11-01"})
    assert response.status_code == 302
    death.refresh_from_db()
    assert (death.review_status, death.avoidability, death.reviewed_by, death.reviewed_on) == (
        "reviewed", "1", county.user("county_mch"), date(2026, 11, 1))


def test_the_death_list_is_for_mch_and_managers_in_scope(client, county, doctor, delivered):
    actions.do_register_maternal_death(doctor, delivered, date(2026, 10, 15), "产后出血保密")
    for name, status, shown in (("mch_t1", 200, True), ("county_mch", 200, True), ("county_admin", 200, True),
                                ("mch_t2", 200, False), ("doctor_v11", 403, False)):
        client.force_login(county.user(name))
        response = client.get("/programmes/maternal/deaths/")
        assert response.status_code == status, name
        assert ("产后出血保密" in response.content.decode()) is shown, name


def test_the_death_form_registers_it(client, county, delivered):
    client.force_login(county.user("doctor_v11"))
    response = client.post(f"/programmes/maternal/pregnancy/{delivered.pk}/death/",
                           {"date": "2026-10-15", "cause": "产后出血"})
    assert response.status_code == 302 and MaternalDeath.objects.get().within_42_days
