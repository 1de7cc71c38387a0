import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from gongwei.orgs import codes
from gongwei.orgs.models import OrgUnit, Role, User


def test_village_under_a_village_is_refused(county):
    unit = OrgUnit(code="339901101201", name="x", kind=codes.VILLAGE, parent=county.v11)
    with pytest.raises(ValidationError) as exc:
        unit.full_clean(validate_unique=False)
    assert "上级机构的类型不对" in exc.value.message_dict["parent"][0]


def test_error_message_is_in_the_users_language(county):
    unit = OrgUnit(code="339901102201", name="x", kind=codes.VILLAGE, parent=county.t1)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as zh:
        unit.full_clean()
    with translation.override("en"), pytest.raises(ValidationError) as en:
        unit.full_clean()
    assert "开头" in zh.value.message_dict["code"][0]
    assert "does not start with" in en.value.message_dict["code"][0]


def test_village_doctor_at_a_township_is_refused(county):
    user = User(username="x", unit=county.t1, role=Role.VILLAGE_DOCTOR)
    user.set_password("x" * 12)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert "unit" in exc.value.message_dict


def test_staff_with_a_role_need_a_unit(db):
    user = User(username="x", role=Role.TOWNSHIP_PH, password="x")
    with pytest.raises(ValidationError):
        user.full_clean()
