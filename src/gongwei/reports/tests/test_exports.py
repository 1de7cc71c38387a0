"""Excel and PDF copies: the familiar layout, and Chinese that really renders."""

import shutil
import subprocess
from io import BytesIO

import pytest
from django.urls import reverse

from gongwei.audit.models import Action, AuditEvent
from gongwei.reports import actions, exports

from .conftest import TYPED, at, submitted

TITLE = "基本公共卫生服务月报表"


@pytest.fixture
def approved(hand_built, as_user):
    report = submitted(as_user, hand_built, "v11", typed={**TYPED, "remarks": "<b>签到表 & 照片</b>"},
                       now=at(2026, 5, 21))
    return actions.do_approve(as_user("ph_t1"), report, now=at(2026, 5, 22))


def test_excel_has_the_title_the_unit_and_period_and_a_numbered_table(client, hand_built, approved):
    from openpyxl import load_workbook

    client.force_login(hand_built.user("ph_t1"))
    response = client.get(reverse("reports:xlsx", kwargs={"report": approved.pk}))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == TITLE
    assert "一村卫生室" in rows[1][0] and "2026年04月" in rows[1][0]
    assert rows[2] == ("序号", "项目", "数值")
    table = {r[1]: r[2] for r in rows[3:] if r[0]}
    assert table["高血压患者管理人数"] == 2 and table["高血压患者规范管理率（%）"] == 100
    assert table["健康知识讲座参加人数"] == 45
    assert table["2型糖尿病患者管理人数"] == 0
    assert [r[0] for r in rows[3:3 + 17]] == list(range(1, 18))
    footer = {r[1]: r[2] for r in rows if r[0] in ("", None) and r[1]}
    assert footer["逾期"] == "逾期上报" and footer["填报人"] == "一村医生" and footer["状态"] == "已审核"
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="report").exists()


def test_pdf_is_served_to_the_township(client, hand_built, approved):
    client.force_login(hand_built.user("ph_t1"))
    response = client.get(reverse("reports:pdf", kwargs={"report": approved.pk}))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_pdf_renders_the_chinese_title(approved, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("!!! pdftoppm is missing, so the PDF's Chinese was NOT checked. "
                    "Install Debian's poppler-utils and poppler-data (apt-get install -y poppler-utils poppler-data).")
    from PIL import Image

    path = tmp_path / "report.pdf"
    path.write_bytes(exports.pdf(approved))
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", str(path), str(tmp_path / "page")],
                   check=True, capture_output=True)
    page = Image.open(tmp_path / "page.png").convert("L")
    assert page.size[1] == 842  # A4 at 72 dpi (595.3 × 841.9 pt)
    # The title is centred in the top margin band: 18 mm (51 pt) down, 18 pt high.
    title = page.crop((150, 45, 445, 80))
    dark = sum(title.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 400, f"only {dark} dark pixels where the title should be: the Chinese did not render"
    blank = page.crop((150, 5, 445, 40))
    assert sum(blank.histogram()[:128]) == 0
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True).stdout.decode()
        assert TITLE in text and "<b>签到表 & 照片</b>" in text
