"""Importing the org tree: all rows or none, with the row number of every problem."""

import io

from openpyxl import Workbook

from gongwei.orgs.models import OrgUnit
from gongwei.orgs.services import import_units, read_table

GOOD = [
    ["代码", "名称", "类型", "上级代码"],
    ["339902", "新县", "县", ""],
    ["339902101", "甲镇卫生院", "乡镇卫生院", "339902"],
    ["339902101201", "甲村卫生室", "村卫生室", ""],
    ["339902101901", "甲镇小学", "学校", "339902101"],
]


def test_good_file_creates_every_unit_with_parents(db):
    result = import_units(GOOD)
    assert result.ok and result.created == 4
    assert OrgUnit.objects.get(code="339902101201").parent_id == "339902101"


def test_one_bad_row_imports_nothing_and_names_the_row(db):
    rows = GOOD + [["339903101202", "乙村卫生室", "村卫生室", "339902101"]]
    result = import_units(rows)
    assert not result.ok
    assert OrgUnit.objects.count() == 0
    assert [row for row, _ in result.errors] == [6]
    assert "339902101" in result.errors[0][1]


def test_unknown_kind_and_duplicate_code_are_reported(db):
    rows = GOOD + [["339902101202", "丙村", "医院", ""], ["339902101201", "重复村", "村卫生室", ""]]
    result = import_units(rows)
    assert {row for row, _ in result.errors} == {6, 7}


def test_parent_must_exist_in_database_or_file(db):
    result = import_units([GOOD[0], ["339904101201", "孤村", "村卫生室", ""]])
    assert "不存在" in result.errors[0][1]


def test_reimport_updates_names(db):
    import_units(GOOD)
    rows = [GOOD[0], ["339902101201", "甲村卫生室（新）", "村卫生室", ""]]
    result = import_units(rows)
    assert result.updated == 1 and OrgUnit.objects.get(code="339902101201").name.endswith("（新）")


def test_csv_in_gbk_and_xlsx_are_read():
    text = "\n".join(",".join(r) for r in GOOD).encode("gbk")
    assert read_table("units.csv", text)[2][1] == "甲镇卫生院"
    wb = Workbook()
    for row in GOOD:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    assert read_table("units.xlsx", buf.getvalue())[3][0] == "339902101201"


def test_missing_columns_are_named(db):
    result = import_units([["代码", "名称"], ["339902", "新县"]])
    assert "kind" in result.errors[0][1]
