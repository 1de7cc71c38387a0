"""Shared fixtures: a small named county every test can rely on.

    演示县 339901
    ├── 一镇卫生院 339901101: 一村 …201, 二村 …202, 三村 …203
    └── 二乡卫生院 339901201: 四村 …201, 五村 …202, 六村 …203

with a village doctor in every village, the three township roles in every township, and
the county roles. The first village (一村) is the one whose data outsiders must never see.
"""

import itertools
from dataclasses import dataclass

import pytest
from django.conf import settings

from gongwei.orgs import codes
from gongwei.orgs.models import OrgUnit, Role, User

PASSWORD = "correct-horse-battery"
_SEQUENCE = itertools.count(1)


def pytest_configure(config):
    # argon2 is deliberately slow; tests create hundreds of users. test_accounts checks that
    # the real settings use argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Persistent connections outlive the live server's threads and keep PostgreSQL from
    # dropping the test database at the end.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@dataclass
class County:
    county: OrgUnit
    t1: OrgUnit
    t2: OrgUnit
    v11: OrgUnit
    v12: OrgUnit
    v13: OrgUnit
    v21: OrgUnit
    v22: OrgUnit
    v23: OrgUnit
    school: OrgUnit
    users: dict[str, User]

    def user(self, name: str) -> User:
        return self.users[name]


def make_user(username, unit, role, **extra) -> User:
    user = User(username=username, unit=unit, role=role, full_name=extra.pop("full_name", username), **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def county(db) -> County:
    c = OrgUnit.objects.create(code="339901", name="演示县", kind=codes.COUNTY)
    t1 = OrgUnit.objects.create(code="339901101", name="一镇卫生院", kind=codes.TOWNSHIP, parent=c)
    t2 = OrgUnit.objects.create(code="339901201", name="二乡卫生院", kind=codes.TOWNSHIP, parent=c)
    villages = {}
    for t, town in ((1, t1), (2, t2)):
        for i, name in enumerate(("一村" if t == 1 else "四村", "二村" if t == 1 else "五村",
                                  "三村" if t == 1 else "六村"), start=1):
            villages[f"v{t}{i}"] = OrgUnit.objects.create(
                code=f"{town.code}{200 + i}", name=f"{name}卫生室", kind=codes.VILLAGE, parent=town)
    school = OrgUnit.objects.create(code="339901101901", name="一镇中心小学", kind=codes.SCHOOL, parent=t1)
    users = {}
    for key, village in villages.items():
        users[f"doctor_{key}"] = make_user(f"doctor_{key}", village, Role.VILLAGE_DOCTOR,
                                           full_name=f"{village.name[:2]}医生")
    for key, town in (("t1", t1), ("t2", t2)):
        users[f"ph_{key}"] = make_user(f"ph_{key}", town, Role.TOWNSHIP_PH)
        users[f"mch_{key}"] = make_user(f"mch_{key}", town, Role.TOWNSHIP_MCH)
        users[f"director_{key}"] = make_user(f"director_{key}", town, Role.TOWNSHIP_DIRECTOR)
    users["county_admin"] = make_user("county_admin", c, Role.COUNTY_ADMIN)
    users["county_cdc"] = make_user("county_cdc", c, Role.COUNTY_CDC)
    users["county_mch"] = make_user("county_mch", c, Role.COUNTY_MCH)
    users["sysadmin"] = make_user("sysadmin", c, Role.SYSADMIN, is_staff=True, is_superuser=True)
    return County(county=c, t1=t1, t2=t2, school=school, users=users, **villages)


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in as ``user`` and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def rf_for():
    """``rf_for(user)``: a request from ``user`` at 10.0.0.7, for calling do_* actions."""
    from django.test import RequestFactory

    def _request(user):
        request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.7")
        request.user = user
        return request

    return _request


@pytest.fixture
def make_resident(county, rf_for):
    """``make_resident(village, name, id_number=…, **fields)`` through the real action."""
    from datetime import date

    from gongwei.people import idnumber
    from gongwei.people.services import do_create_resident

    def _make(village, name, *, by=None, sex="1", birth_date=date(1960, 5, 17), id_number="auto", **fields):
        if id_number == "auto":
            # A fresh sequence code for every resident of a test: odd for men, even for women
            # (GB 11643), so no two residents share a number whatever the test makes.
            n = next(_SEQUENCE)
            id_number = idnumber.make_id("339901", birth_date, (2 * n + (1 if sex == "1" else 0)) % 1000)
        data = {"village": village, "name": name, "sex": sex, "birth_date": birth_date,
                "document_type": "01" if id_number else "00", "id_number": id_number,
                "no_id_reason": "" if id_number else "未带身份证", "address": f"{village.name}1组1号",
                "record_created": date(2025, 1, 10), **fields}
        user = by or county.user("ph_" + ("t1" if village.code.startswith(county.t1.code) else "t2"))
        return do_create_resident(rf_for(user), data)

    return _make
