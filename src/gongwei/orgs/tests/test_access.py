"""The scope rule: a user sees their own unit's subtree, nothing else."""

from gongwei.orgs.access import scope_prefix
from gongwei.orgs.models import OrgUnit, User


def codes_seen(user):
    return set(OrgUnit.objects.for_user(user).values_list("code", flat=True))


def test_village_doctor_sees_their_village_only(county):
    assert codes_seen(county.user("doctor_v11")) == {county.v11.code}


def test_township_officer_sees_the_township_and_all_its_units(county):
    assert codes_seen(county.user("ph_t1")) == {
        county.t1.code, county.v11.code, county.v12.code, county.v13.code, county.school.code}


def test_county_staff_see_everything(county):
    assert codes_seen(county.user("county_cdc")) == set(OrgUnit.objects.values_list("code", flat=True))


def test_user_without_unit_or_role_sees_nothing(county):
    nobody = User.objects.create(username="nobody")
    assert codes_seen(nobody) == set()
    no_role = User.objects.create(username="norole", unit=county.t1)
    assert codes_seen(no_role) == set()


def test_inactive_user_has_no_scope(county):
    user = county.user("ph_t1")
    user.is_active = False
    assert scope_prefix(user) is None


def test_staff_list_is_scoped_the_same_way(county):
    seen = set(User.objects.for_user(county.user("ph_t2")).values_list("username", flat=True))
    assert "doctor_v21" in seen and "ph_t2" in seen
    assert "doctor_v11" not in seen and "county_admin" not in seen
