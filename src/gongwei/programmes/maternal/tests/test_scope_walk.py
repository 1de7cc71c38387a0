"""The scope walk over the maternal URLs, with an MCH officer among the insiders.

web/tests/test_scope.py walks every URL with insiders doctor_v11, ph_t1 and county_admin; the
PMTCT, case, high-risk and review pages are for MCH officers only, so this walk adds the county
MCH officer to the insiders (someone must be able to open each page) and checks, for the
maternal URLs, that no outsider — including the MCH officer of the other township — sees or
changes anything of 一村.
"""

import pytest

from gongwei.web.tests import scopewalk
from gongwei.web.tests.scopewalk import Target, find_leaks

from . import scope_sample


@pytest.fixture
def target(county, make_resident, rf_for):
    resident = make_resident(county.v11, "甄秘密", phone="13900001111")
    kwargs, markers = scope_sample.build(county, make_resident, rf_for, resident)
    her = resident.__class__.objects.get(name="甄孕妇")
    return Target(code=county.v11.code, kwargs={"pk": her.pk, **kwargs},
                  markers=[county.v11.name, county.user("doctor_v11").full_name, "13900001111", *markers])


def test_no_maternal_url_shows_or_changes_another_villages_data(client, county, target, monkeypatch):
    mine = [r for r in scopewalk.routes() if r.name.startswith("maternal:")]
    assert len(mine) == 15
    monkeypatch.setattr(scopewalk, "routes", lambda *args: iter(mine))
    outsiders = [county.user(n) for n in ("doctor_v12", "doctor_v21", "ph_t2", "mch_t2", "director_t2")]
    insiders = [county.user(n) for n in ("doctor_v11", "ph_t1", "county_admin", "county_mch")]
    assert find_leaks(client, target, outsiders, insiders) == []
