"""The demo county's org tree and staff: deterministic for a seed.

One county, 10 townships with 10–25 villages each, a school and a kindergarten per township,
and staff for every unit. Codes follow NORMS §6.5: towns (镇) 100–199, townships (乡)
200–399; residents' committees from 001 and village committees from 200; schools and
kindergartens take 9xx, the "other organisations" range of the health-record convention
(NORMS §6.3).
"""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from . import codes
from .models import OrgUnit, Role, User

# 33 (Zhejiang) is a real province code; prefecture segment 99 is not used by any real
# prefecture, so the demo county cannot be mistaken for a real one.
COUNTY_CODE = "339901"
COUNTY_NAME = "演示县"
DEMO_PASSWORD = "Demo@2026"

TOWNSHIPS = [("城关镇", 101), ("青石镇", 102), ("柳河镇", 103), ("白沙镇", 104), ("龙泉镇", 105),
             ("石桥乡", 201), ("杨柳乡", 202), ("桃源乡", 203), ("双河乡", 204), ("高坪乡", 205)]
VILLAGE_FIRST = "东西南北上下前后大小新老高长石李王张刘陈杨黄赵周吴孙马朱胡林何郭罗梁宋郑谢韩唐冯"
VILLAGE_SECOND = "山河桥岗坪湾塘庄坝沟岭冲溪口洼园林台营寨堡店集屯铺坊桥滩"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
GIVEN = ["建国", "秀英", "志强", "丽华", "海燕", "卫东", "红梅", "春生", "玉兰", "国庆", "晓东",
         "丽娟", "文斌", "桂芳", "永红", "小平", "淑珍", "德明", "雪梅", "俊杰", "静", "伟", "敏", "军"]


@dataclass
class DemoLogin:
    username: str
    role: str
    unit: str


@dataclass
class DemoCounty:
    county: OrgUnit
    townships: list[OrgUnit] = field(default_factory=list)
    villages: list[OrgUnit] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)


def _village_names(rng: random.Random, count: int, used: set[str]) -> list[str]:
    names = []
    while len(names) < count:
        name = rng.choice(VILLAGE_FIRST) + rng.choice(VILLAGE_SECOND) + "村"
        if name not in used:
            used.add(name)
            names.append(name)
    return names


@transaction.atomic
def generate_county(rng: random.Random) -> DemoCounty:
    county = OrgUnit.objects.create(code=COUNTY_CODE, name=COUNTY_NAME, kind=codes.COUNTY)
    demo = DemoCounty(county=county)
    units: list[OrgUnit] = []
    used_names: set[str] = set()
    for town_name, seg in TOWNSHIPS:
        tcode = f"{COUNTY_CODE}{seg:03d}"
        township = OrgUnit(code=tcode, name=f"{town_name}卫生院", kind=codes.TOWNSHIP,
                           parent=county, urban_rural="121" if seg < 200 else "210")
        demo.townships.append(township)
        units.append(township)
        n_villages = rng.randint(10, 25)
        for i, vname in enumerate(_village_names(rng, n_villages, used_names)):
            # The first unit of a town is its residents' committee (社区, 001); the rest are
            # village committees numbered from 200.
            is_community = i == 0 and seg < 200
            vseg = 1 if is_community else 200 + i
            label = f"{town_name[:-1]}社区卫生服务站" if is_community else f"{vname}卫生室"
            village = OrgUnit(code=f"{tcode}{vseg:03d}", name=label, kind=codes.VILLAGE,
                              parent=township, urban_rural="121" if is_community else "220")
            demo.villages.append(village)
            units.append(village)
        units.append(OrgUnit(code=f"{tcode}901", name=f"{town_name}中心小学", kind=codes.SCHOOL,
                             parent=township))
        units.append(OrgUnit(code=f"{tcode}951", name=f"{town_name}中心幼儿园",
                             kind=codes.KINDERGARTEN, parent=township))
    OrgUnit.objects.bulk_create(units)
    _create_staff(rng, demo)
    return demo


def _create_staff(rng: random.Random, demo: DemoCounty) -> None:
    # One hash for every demo account: argon2 is slow by design, and a few hundred hashes
    # would add a minute to `make demo` for no gain.
    password = make_password(DEMO_PASSWORD)
    users: list[User] = []

    def add(username, role, unit):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        # The system administrator is the county's IT officer, who keeps the org tree and
        # the accounts in the Django admin.
        it = role == Role.SYSADMIN
        users.append(User(username=username, password=password, role=role, unit=unit,
                          full_name=name, is_staff=it, is_superuser=it))
        demo.logins.append(DemoLogin(username, Role(role).label, unit.name))

    add("admin", Role.SYSADMIN, demo.county)
    add("county", Role.COUNTY_ADMIN, demo.county)
    add("cdc", Role.COUNTY_CDC, demo.county)
    add("fybj", Role.COUNTY_MCH, demo.county)
    for t, township in enumerate(demo.townships, start=1):
        add(f"t{t:02d}gw", Role.TOWNSHIP_PH, township)
        add(f"t{t:02d}fy", Role.TOWNSHIP_MCH, township)
        add(f"t{t:02d}yz", Role.TOWNSHIP_DIRECTOR, township)
        villages = [v for v in demo.villages if v.parent_id == township.code]
        for v, village in enumerate(villages, start=1):
            add(f"t{t:02d}v{v:02d}", Role.VILLAGE_DOCTOR, village)
            if rng.random() < 0.3:  # larger villages have a second doctor
                add(f"t{t:02d}v{v:02d}b", Role.VILLAGE_DOCTOR, village)
    User.objects.bulk_create(users)


def run(ctx) -> None:
    """Generator step (see ``gongwei generate``): the county, its units and staff."""
    ctx.county = generate_county(ctx.rng)
    ctx.say(f"机构：1 个县，{len(ctx.county.townships)} 个乡镇卫生院，"
            f"{len(ctx.county.villages)} 个村卫生室；人员 {len(ctx.county.logins)} 名")


def print_logins(write) -> None:
    """The demo logins a newcomer needs, one per role, and the pattern of the rest."""
    rows = (User.objects.filter(unit__code__startswith=COUNTY_CODE, username__in=[
        "admin", "county", "cdc", "fybj", "t01gw", "t01fy", "t01yz", "t01v01", "t01v02", "t02v01"])
        .select_related("unit").order_by("unit_id", "username"))
    write(f"演示账号 Demo logins (密码 password: {DEMO_PASSWORD})")
    for u in rows:
        write(f"  {u.username:<8} {u.get_role_display():<14} {u.unit.name}")
    write("  其他乡镇 t02gw…t10gw；其他村医 t01v03…（乡镇序号 + v + 村序号）")
