"""Writes to the org tree and staff, each one transaction.

``import_units`` reads the tree from a spreadsheet a county IT officer keeps: all rows go in
or none do, and every bad row is reported with its row number (ARCHITECTURE.md idea 5).
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction

from . import codes
from .models import OrgUnit

# Column headings accepted in an import file, Chinese or English.
HEADINGS = {
    "code": {"code", "代码", "编码", "机构代码", "区划代码"},
    "name": {"name", "名称", "机构名称"},
    "kind": {"kind", "类型", "机构类型"},
    "parent": {"parent", "上级代码", "上级机构代码", "parent_code"},
    "urban_rural": {"urban_rural", "城乡分类代码", "城乡分类"},
}
KIND_WORDS = {
    codes.COUNTY: {"county", "县", "县卫健局", "县（区）"},
    codes.TOWNSHIP: {"township", "乡镇", "乡镇卫生院", "卫生院", "社区卫生服务中心"},
    codes.VILLAGE: {"village", "村", "村卫生室", "卫生室", "社区卫生服务站"},
    codes.SCHOOL: {"school", "学校"},
    codes.KINDERGARTEN: {"kindergarten", "幼儿园", "托幼机构"},
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """Rows of a .csv (UTF-8 or GBK, as Excel saves it in China) or .xlsx file, as text."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        return [["" if v is None else str(v).strip() for v in row]
                for row in sheet.iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("文件编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV。")
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for i, name in enumerate(header):
        for key, names in HEADINGS.items():
            if name.strip().lower() in names:
                found[key] = i
    return found


def _kind(word: str) -> str | None:
    for kind, words in KIND_WORDS.items():
        if word.strip().lower() in words:
            return kind
    return None


def parse_units(rows: list[list[str]]) -> tuple[list[dict], list[tuple[int, str]]]:
    """Unit dicts from table rows, and (row number, message) for every bad row."""
    if not rows:
        return [], [(1, "文件是空的。")]
    cols = _columns(rows[0])
    missing = [k for k in ("code", "name", "kind") if k not in cols]
    if missing:
        return [], [(1, "缺少列：" + "、".join(missing) + "（需要：代码、名称、类型、上级代码）")]
    units, errors, seen = [], [], {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        cell = lambda key: row[cols[key]].strip() if key in cols and cols[key] < len(row) else ""
        code, name, kind_word, parent = cell("code"), cell("name"), cell("kind"), cell("parent")
        kind = _kind(kind_word)
        if kind is None:
            errors.append((number, f"类型“{kind_word}”无法识别（县、乡镇卫生院、村卫生室、学校、幼儿园）。"))
            continue
        if not name:
            errors.append((number, "名称不能为空。"))
        if kind != codes.COUNTY and not parent:
            # A village's parent is its first nine digits; spare the user typing it.
            parent = code[:6] if kind == codes.TOWNSHIP else code[:9]
        for e in codes.check_code(code, kind, parent or None):
            errors.append((number, e.message_zh))
        if code in seen:
            errors.append((number, f"代码 {code} 与第 {seen[code]} 行重复。"))
        seen[code] = number
        units.append({"row": number, "code": code, "name": name, "kind": kind,
                      "parent": parent or None, "urban_rural": cell("urban_rural")})
    return units, errors


@transaction.atomic
def import_units(rows: list[list[str]]) -> ImportResult:
    """Create or update the units in ``rows``; on any error, change nothing."""
    units, errors = parse_units(rows)
    result = ImportResult(errors=errors)
    file_codes = {u["code"]: u["kind"] for u in units}
    existing = dict(OrgUnit.objects.values_list("code", "kind"))
    for u in units:
        if u["parent"] is None:
            continue
        parent_kind = file_codes.get(u["parent"]) or existing.get(u["parent"])
        if parent_kind is None:
            result.errors.append((u["row"], f"上级机构 {u['parent']} 不存在，也不在文件中。"))
        elif parent_kind != codes.PARENT_KIND[u["kind"]]:
            result.errors.append((u["row"], f"上级机构 {u['parent']} 的类型不对。"))
    if result.errors:
        result.errors.sort()
        return result
    # Parents first: codes sort counties before their townships before their villages.
    for u in sorted(units, key=lambda u: len(u["code"])):
        _, created = OrgUnit.objects.update_or_create(
            code=u["code"],
            defaults={"name": u["name"], "kind": u["kind"], "parent_id": u["parent"],
                      "urban_rural": u["urban_rural"]},
        )
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result
