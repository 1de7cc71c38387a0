"""Every URL, as users of another village, another township, and anonymous.

The target is village 一村 (v11) of township 一镇 (t1). Add a value to ``scope_target`` for
each new URL parameter, pointing at a record of v11, and a marker text that only that record
shows; the walk then covers the new view with no other change.
"""

import importlib

import pytest
from django.conf import settings

from .scopewalk import Target, find_leaks


@pytest.fixture
def scope_target(county, make_resident, rf_for) -> Target:
    from datetime import date

    from gongwei.care import actions
    from gongwei.care.models import Referral
    from gongwei.people.models import Encounter

    secret = make_resident(county.v11, "甄秘密", phone="13900001111")
    twin = make_resident(county.v11, "甄秘密", id_number=None)
    Encounter.objects.create(resident=secret, unit=county.v11, date=secret.record_created,
                             subjective="保密主诉", doctor=county.user("doctor_v11"))
    request = rf_for(county.user("doctor_v11"))
    enrolment = actions.do_enrol(request, secret, "htn", date(2025, 2, 1))
    actions.do_record_visit(request, enrolment, date(2025, 5, 1), {"sbp": 185, "dbp": 100},
                            institution="县医院")  # an emergency: opens an urgent referral
    # Each programme folder (and the reports room) may add its own URL parameters and marker texts, pointing at
    # records of the same village: <app>.tests.scope_sample.build(county, make_resident,
    # rf_for, resident) -> (kwargs, markers).
    extra_kwargs, extra_markers = {}, []
    for app in [*settings.PROGRAMME_APPS, "gongwei.reports"]:
        try:
            sample = importlib.import_module(f"{app}.tests.scope_sample")
        except ModuleNotFoundError:
            continue
        kwargs, markers = sample.build(county, make_resident, rf_for, secret)
        extra_kwargs.update(kwargs)
        extra_markers.extend(markers)
    return Target(
        code=county.v11.code,
        kwargs={"code": county.v11.code, "pk": secret.pk, "survivor": secret.pk,
                "duplicate": twin.pk, "household": secret.household_id,
                "enrolment": enrolment.pk, "referral": Referral.objects.get().pk,
                "indicator": "htn.control", **extra_kwargs},
        markers=[county.v11.name, county.user("doctor_v11").full_name, "甄秘密",
                 secret.id_number, secret.masked_id, "13900001111", "保密主诉",
                 secret.address, *extra_markers],
    )


def outsiders(county):
    return [county.user(n) for n in ("doctor_v12", "doctor_v21", "ph_t2", "mch_t2", "director_t2")]


def insiders(county):
    return [county.user(n) for n in ("doctor_v11", "ph_t1", "mch_t1", "county_admin", "county_mch", "county_cdc")]


def test_no_url_shows_or_changes_another_villages_data(client, county, scope_target):
    assert find_leaks(client, scope_target, outsiders(county), insiders(county)) == []


@pytest.mark.urls("gongwei.web.tests.leaky_urls")
def test_the_walk_catches_a_view_that_forgets_its_scope(client, county, scope_target):
    leaks = find_leaks(client, scope_target, outsiders(county), insiders(county))
    assert any("/leaky/ as doctor_v12" in leak for leak in leaks)
    assert any("changed the target village's data" in leak for leak in leaks)


@pytest.mark.urls("gongwei.web.tests.leaky_urls")
def test_a_view_that_declares_no_scope_is_refused_even_to_the_county(client, county):
    client.force_login(county.user("county_admin"))
    assert client.get("/undeclared/").status_code == 403


def test_admin_is_open_to_the_system_administrator_only(client, county):
    for name in ("doctor_v11", "ph_t1", "county_admin"):
        client.force_login(county.user(name))
        response = client.get("/admin/orgs/orgunit/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(county.user("sysadmin"))
    assert client.get("/admin/orgs/orgunit/").status_code == 200
