"""Every URL of the room, as outsiders of 一村 (v11), with findings of 一村 stored so that
there is something to leak. (web/tests/test_scope.py walks the whole site the same way; this
one stays inside the room, since quality may not import web.)"""

from datetime import date

import pytest
from django.urls import get_resolver, reverse

from gongwei.care.models import Visit
from gongwei.quality.models import Finding
from gongwei.quality.run import run


def _quality_urls(code):
    resolver = get_resolver()
    [quality] = [p for p in resolver.url_patterns if getattr(p, "namespace", None) == "quality"]
    for pattern in quality.url_patterns:
        kwargs = {"code": code} if "code" in pattern.pattern.converters else {}
        yield reverse(f"quality:{pattern.name}", kwargs=kwargs)


@pytest.fixture
def secret(county, patient, followup):
    resident, enrolment = patient
    followup(enrolment, date(2025, 4, 1), 300, 80)
    Visit.objects.bulk_create(Visit(enrolment=enrolment, resident_id=resident.pk, programme="htn",
                                    village=county.v11, date=date(2025, 6, 3), doctor=county.user("doctor_v11"))
                              for _ in range(41))
    run(county.county.code)
    return [county.v11.name, county.user("doctor_v11").full_name, resident.name, "300/80"]


def _state():
    return list(Finding.objects.order_by("pk").values())


@pytest.mark.parametrize("outsider", ["doctor_v12", "doctor_v21", "ph_t2", "director_t2"])
def test_no_quality_url_shows_or_changes_another_villages_findings(client, county, secret, outsider):
    before = _state()
    finding = Finding.objects.first().pk
    client.force_login(county.user(outsider))
    for url in _quality_urls(county.v11.code):
        for response in (client.get(url), client.post(url, {"finding": finding, "note": "x"})):
            body = response.content.decode() if response.status_code == 200 else ""
            assert not [m for m in secret if m in body], url
    # The outsider's own "run now" recomputed their scope only.
    assert _state() == before


def test_anonymous_gets_the_login_page_from_every_quality_url(client, county, secret):
    for url in _quality_urls(county.v11.code):
        assert client.get(url).status_code == 302 and client.post(url).status_code == 302


@pytest.mark.parametrize("insider", ["doctor_v11", "ph_t1", "county_admin"])
def test_insiders_reach_every_quality_url(client, county, secret, insider):
    client.force_login(county.user(insider))
    assert {client.get(url).status_code for url in _quality_urls(county.v11.code)} <= {200, 405}
