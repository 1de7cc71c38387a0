import random

from gongwei.orgs import codes
from gongwei.orgs.demo import generate_county
from gongwei.orgs.models import OrgUnit, Role, User


def test_demo_county_has_the_promised_shape(db):
    demo = generate_county(random.Random(1))
    assert len(demo.townships) == 10
    for township in demo.townships:
        villages = OrgUnit.objects.filter(parent=township, kind=codes.VILLAGE).count()
        assert 10 <= villages <= 25
        assert OrgUnit.objects.filter(parent=township, kind=codes.SCHOOL).exists()
        assert OrgUnit.objects.filter(parent=township, kind=codes.KINDERGARTEN).exists()
    for unit in OrgUnit.objects.select_related("parent"):
        assert codes.check_code(unit.code, unit.kind, unit.parent_id) == []
    for village in OrgUnit.objects.filter(kind=codes.VILLAGE):
        assert User.objects.filter(unit=village, role=Role.VILLAGE_DOCTOR).exists()


def test_same_seed_gives_the_same_county(db):
    first = generate_county(random.Random(7))
    names = [(v.code, v.name) for v in first.villages]
    User.objects.all().delete()
    for length in (12, 9, 6):  # children before parents: the tree is protected
        OrgUnit.objects.filter(code__regex=rf"^\d{{{length}}}$").delete()
    second = generate_county(random.Random(7))
    assert [(v.code, v.name) for v in second.villages] == names
