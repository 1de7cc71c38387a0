"""The register through its forms, API and actions (issue: residents and health records)."""

from datetime import date

import pytest

from gongwei.audit.models import Action, AuditEvent
from gongwei.people import services
from gongwei.people.models import Encounter, HouseholdMembership, Resident, Status
from gongwei.people.search import search_residents
from gongwei.people.signals import resident_died

# NORMS §6.4 worked example: 11010519491231002X. Digits 7–14 give 1949-12-31; digit 17 is
# "2", even, so the holder is a woman.
NORM_EXAMPLE = "11010519491231002X"


def form_data(county, **over):
    data = {"name": "王小明", "sex": "2", "birth_date": "1949-12-31", "document_type": "01",
            "id_number": NORM_EXAMPLE, "ethnicity": "01", "address": "一村3组5号",
            "registration": "1", "village": county.v11.code}
    data.update(over)
    return data


@pytest.mark.parametrize("number, message", [
    ("11010519491231002X", None),
    ("11010519491231002x", None),  # lower-case x is normalized (NORMS §6.4)
    ("110105194912310021", "校验"),  # check character should be X
    ("110105199902300021", "出生日期"),  # 30 February
    ("1101051949123100", "位"),  # 16 characters
    ("991105194912310021", "省"),  # no province 99
])
def test_id_number_verdicts_through_the_form(client, county, number, message):
    client.force_login(county.user("doctor_v11"))
    response = client.post("/people/new/", form_data(county, id_number=number))
    if message is None:
        assert response.status_code == 302
        assert Resident.objects.get().id_number == NORM_EXAMPLE
    else:
        page = response.content.decode()
        assert response.status_code == 200 and message in page
        assert f'value="{number}"' in page  # what was typed is kept


def test_fifteen_digit_number_is_upgraded_to_eighteen(client, county):
    # 110105491231002 → insert 19 → 11010519491231002, check character X (NORMS §6.4 example).
    client.force_login(county.user("doctor_v11"))
    client.post("/people/new/", form_data(county, id_number="110105491231002"))
    assert Resident.objects.get().id_number == NORM_EXAMPLE


def test_sex_that_contradicts_the_id_number_is_named(client, county):
    client.force_login(county.user("doctor_v11"))
    page = client.post("/people/new/", form_data(county, sex="1")).content.decode()
    assert "第17位表示女性" in page and not Resident.objects.exists()


def test_birth_date_that_contradicts_the_id_number_is_named(client, county):
    client.force_login(county.user("doctor_v11"))
    page = client.post("/people/new/", form_data(county, birth_date="1949-12-30")).content.decode()
    assert "1949年12月31日" in page or "1949-12-31" in page


def test_api_gives_the_same_verdicts(client, county):
    client.force_login(county.user("doctor_v11"))
    ok = client.get("/people/api/idcheck", {"number": "110105491231002"}).json()
    assert ok["valid"] and ok["number"] == NORM_EXAMPLE and ok["upgraded_from_15"]
    bad = client.get("/people/api/idcheck", {"number": "110105194912310021"}).json()
    assert not bad["valid"] and "X" in bad["errors"][0]["message"]
    mismatch = client.get("/people/api/idcheck", {"number": NORM_EXAMPLE, "sex": "1"}).json()
    assert not mismatch["valid"] and mismatch["errors"][0]["part"] == "sex"


def test_api_create_refuses_bad_input_with_field_errors(client, county):
    client.force_login(county.user("doctor_v11"))
    response = client.post("/people/api/residents", form_data(county, id_number="110105194912310021"))
    assert response.status_code == 400 and "id_number" in response.json()["errors"]
    response = client.post("/people/api/residents", form_data(county))
    assert response.status_code == 201 and response.json()["id_number_masked"] == "110105********002X"


def test_existing_id_number_in_scope_links_to_the_record(client, county, make_resident):
    existing = make_resident(county.v12, "王小明", sex="2", birth_date=date(1949, 12, 31), id_number=NORM_EXAMPLE)
    client.force_login(county.user("ph_t1"))
    page = client.post("/people/new/", form_data(county)).content.decode()
    assert f"/people/{existing.pk}/" in page


def test_existing_id_number_out_of_scope_says_contact_the_township(client, county, make_resident):
    existing = make_resident(county.v21, "王小明", sex="2", birth_date=date(1949, 12, 31), id_number=NORM_EXAMPLE)
    client.force_login(county.user("doctor_v11"))
    page = client.post("/people/new/", form_data(county)).content.decode()
    assert "乡镇卫生院" in page and f"/people/{existing.pk}/" not in page


def test_record_number_is_village_code_and_serial(county, make_resident):
    first = make_resident(county.v11, "甲")
    second = make_resident(county.v11, "乙")
    assert first.record_number == "33990110120100001"
    assert second.record_number == "33990110120100002"


def test_new_resident_heads_a_new_household(county, make_resident):
    r = make_resident(county.v11, "甲")
    assert r.household.head_id == r.pk
    assert HouseholdMembership.objects.get(resident=r, left__isnull=True).relation_to_head == "02"


def test_moving_between_households_keeps_the_history(county, make_resident, rf_for):
    a, b = make_resident(county.v11, "甲"), make_resident(county.v11, "乙")
    services.do_move_household(rf_for(county.user("doctor_v11")), b, a.household, "10", date(2025, 6, 1))
    history = list(HouseholdMembership.objects.filter(resident=b).order_by("joined"))
    assert len(history) == 2 and history[0].left == date(2025, 6, 1) and history[1].left is None
    assert Resident.objects.get(pk=b.pk).household_id == a.household_id


def test_page_masks_the_id_number_and_audits_the_view(client, county, make_resident):
    r = make_resident(county.v11, "甲")
    client.force_login(county.user("doctor_v11"))
    page = client.get(f"/people/{r.pk}/", REMOTE_ADDR="10.1.2.3").content.decode()
    assert r.id_number not in page and r.masked_id in page
    event = AuditEvent.objects.get(action=Action.VIEW, resident_id=r.pk)
    assert event.user.username == "doctor_v11" and event.ip == "10.1.2.3"


def test_showing_the_full_id_number_is_an_audited_action(client, county, make_resident):
    r = make_resident(county.v11, "甲")
    client.force_login(county.user("doctor_v11"))
    assert r.id_number in client.post(f"/people/{r.pk}/id/").content.decode()
    assert AuditEvent.objects.filter(action=Action.SHOW_ID, resident_id=r.pk).count() == 1


def test_export_is_audited_and_masks_id_numbers(client, county, make_resident):
    make_resident(county.v11, "甲")
    client.force_login(county.user("doctor_v11"))
    response = client.get("/people/export.xlsx")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_concurrent_edit_is_refused_not_overwritten(county, make_resident, rf_for):
    r = make_resident(county.v11, "甲")
    request = rf_for(county.user("doctor_v11"))
    services.do_update_resident(request, Resident.objects.get(pk=r.pk), {"phone": "13911112222"}, {}, version=1)
    with pytest.raises(services.ActionError):
        services.do_update_resident(request, Resident.objects.get(pk=r.pk), {"phone": "13933334444"}, {}, version=1)
    assert Resident.objects.get(pk=r.pk).phone == "13911112222"


def test_transfer_moves_the_resident_and_sender_keeps_reading_its_records(client, county, make_resident, rf_for):
    r = make_resident(county.v11, "甄迁移")
    Encounter.objects.create(resident=r, unit=county.v11, date=date(2025, 3, 1), subjective="咳嗽",
                             doctor=county.user("doctor_v11"))
    services.do_transfer_resident(rf_for(county.user("ph_t1")), r, county.v21, date(2025, 7, 1), "搬家")
    assert Resident.objects.for_user(county.user("doctor_v21")).filter(pk=r.pk).exists()
    assert not Resident.objects.for_user(county.user("doctor_v11")).filter(pk=r.pk).exists()
    client.force_login(county.user("doctor_v11"))
    page = client.get(f"/people/{r.pk}/").content.decode()
    assert "咳嗽" in page and "迁出" in page or "moved out" in page.lower()
    assert client.post(f"/people/{r.pk}/edit/", {}).status_code == 404  # read only
    assert AuditEvent.objects.filter(action=Action.TRANSFER, resident_id=r.pk).exists()


def test_receiving_unit_does_not_see_encounters_of_the_sender(client, county, make_resident, rf_for):
    r = make_resident(county.v11, "甄迁移")
    Encounter.objects.create(resident=r, unit=county.v11, date=date(2025, 3, 1), subjective="私密旧事",
                             doctor=county.user("doctor_v11"))
    services.do_transfer_resident(rf_for(county.user("ph_t1")), r, county.v21, date(2025, 7, 1))
    client.force_login(county.user("doctor_v21"))
    assert "私密旧事" not in client.get(f"/people/{r.pk}/").content.decode()


def test_death_closes_the_record_and_tells_the_programmes(county, make_resident, rf_for):
    r = make_resident(county.v11, "甲")
    heard = []

    def listener(sender, resident, date, user, **kwargs):
        heard.append((resident.pk, date))

    resident_died.connect(listener)
    try:
        services.do_register_death(rf_for(county.user("doctor_v11")), r, date(2025, 8, 1), "脑卒中")
    finally:
        resident_died.disconnect(listener)
    assert heard == [(r.pk, date(2025, 8, 1))]
    assert Resident.objects.get(pk=r.pk).status == Status.DEAD


def test_death_before_birth_is_refused(county, make_resident, rf_for):
    r = make_resident(county.v11, "甲")
    with pytest.raises(services.ActionError):
        services.do_register_death(rf_for(county.user("doctor_v11")), r, date(1950, 1, 1), "x")


def test_merge_moves_service_records_and_leaves_a_trail(client, county, make_resident):
    keep = make_resident(county.v11, "甄重复")
    drop = make_resident(county.v12, "甄重复", id_number=None)
    Encounter.objects.create(resident=drop, unit=county.v12, date=date(2025, 2, 2), doctor=county.user("doctor_v12"))
    client.force_login(county.user("ph_t1"))
    page = client.get("/people/duplicates/").content.decode()
    assert f"/people/merge/{keep.pk}/{drop.pk}/" in page
    response = client.post(f"/people/merge/{keep.pk}/{drop.pk}/", {"reason": "同一人，未带身份证时重复建档"})
    assert response.status_code == 302
    assert Encounter.objects.get().resident_id == keep.pk
    assert Resident.objects.get(pk=drop.pk).status == Status.MERGED
    assert Resident.objects.get(pk=drop.pk).merged_into_id == keep.pk
    event = AuditEvent.objects.get(action=Action.MERGE, resident_id=keep.pk)
    assert event.detail["duplicate"] == drop.pk and event.detail["moved"] == {"people.Encounter": 1}
    assert "同一人" in event.detail["reason"]


def test_village_doctor_cannot_merge(client, county, make_resident):
    keep, drop = make_resident(county.v11, "甲"), make_resident(county.v11, "甲", id_number=None)
    client.force_login(county.user("doctor_v11"))
    assert client.post(f"/people/merge/{keep.pk}/{drop.pk}/", {"reason": "x"}).status_code == 403


def test_two_people_with_different_id_numbers_are_not_merged(county, make_resident, rf_for):
    a = make_resident(county.v11, "甲", birth_date=date(1970, 1, 1))
    b = make_resident(county.v12, "甲", birth_date=date(1970, 1, 1), sex="2")
    with pytest.raises(services.ActionError):
        services.do_merge(rf_for(county.user("ph_t1")), a, b, "x")


def test_search_by_initials_finds_the_resident_and_never_out_of_scope(county, make_resident):
    mine = make_resident(county.v11, "张三")
    theirs = make_resident(county.v21, "张三丰")
    found = search_residents(county.user("doctor_v11"), "zs").rows
    assert found == [mine]
    assert theirs not in search_residents(county.user("ph_t1"), "zs").rows
    assert {r.pk for r in search_residents(county.user("county_cdc"), "zs").rows} == {mine.pk, theirs.pk}


@pytest.mark.parametrize("query", ["zhangsan", "ZS", "张三", "张", "zhang"])
def test_search_by_name_and_pinyin(county, make_resident, query):
    r = make_resident(county.v11, "张三")
    assert r in search_residents(county.user("doctor_v11"), query).rows


def test_search_by_id_full_and_last_digits_and_phone(county, make_resident):
    r = make_resident(county.v11, "李四", phone="13800138000")
    user = county.user("doctor_v11")
    assert search_residents(user, r.id_number).rows == [r]
    assert r in search_residents(user, r.id_number[-6:]).rows
    assert search_residents(user, "13800138000").rows == [r]
    assert search_residents(user, "123").kind == "too_short"


@pytest.mark.parametrize("name, typed", [("单雄信", "sxx"), ("单雄信", "danxiongxin"), ("曾国藩", "zengguofan"),
                                         ("曾国藩", "cgf"), ("解缙", "xiejin")])
def test_surnames_with_two_readings_are_found_by_either(county, make_resident, name, typed):
    r = make_resident(county.v11, name)
    assert r in search_residents(county.user("doctor_v11"), typed).rows


def test_exact_match_ranks_before_prefix_match(county, make_resident):
    longer = make_resident(county.v11, "王五一")
    exact = make_resident(county.v11, "王五")
    assert search_residents(county.user("doctor_v11"), "王五").rows[:2] == [exact, longer]


def test_past_and_family_history_are_entered_as_text_and_kept_structured(client, county):
    client.force_login(county.user("doctor_v11"))
    data = form_data(county, past_history_text="疾病 高血压 2015-03\n手术 阑尾切除 2010-06",
                     family_father="高血压、脑卒中", family_mother="")
    assert client.post("/people/new/", data).status_code == 302
    record = Resident.objects.get().health_record
    assert record.past_history == [{"kind": "disease", "name": "高血压", "date": "2015-03"},
                                   {"kind": "operation", "name": "阑尾切除", "date": "2010-06"}]
    assert record.family_history["father"] == ["高血压", "脑卒中"]


def test_bad_past_history_line_is_named_and_kept(client, county):
    client.force_login(county.user("doctor_v11"))
    page = client.post("/people/new/", form_data(county, past_history_text="高血压 多年")).content.decode()
    assert "第 1 行" in page or "Line 1" in page
    assert "高血压 多年" in page and not Resident.objects.exists()


def test_moving_to_another_household_by_its_number(client, county, make_resident):
    a, b = make_resident(county.v11, "甲"), make_resident(county.v11, "乙")
    client.force_login(county.user("doctor_v11"))
    response = client.post(f"/people/{b.pk}/household/", {"household": a.household.number, "relation": "10", "date": "2026-01-02"})
    assert response.status_code == 302
    assert Resident.objects.get(pk=b.pk).household_id == a.household_id
