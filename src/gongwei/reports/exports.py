"""Excel and PDF copies of a report, in the layout of the paper forms people already use:
a title, a line with the unit and the period, then a table 序号 / 项目 / 数值, then who
filled and reviewed it. Always in Chinese: these go up the tree and into the files.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone

from . import display, periods
from .forms_catalogue import DECIMAL, get_form
from .models import Report

NOT_AVAILABLE_ZH = "暂不可用"  # the indicator is not declared (yet)
NO_FIGURE = "—"  # 0 of 0, or an empty remark
HEADER = ("序号", "项目", "数值")
# The copies are Chinese whatever the reader's interface language is.
STATUS_ZH = {"draft": "草稿", "submitted": "已上报", "returned": "已退回", "approved": "已审核", "accepted": "已接收"}
# The one CID font that every PDF reader knows (Adobe-GB1): nothing to ship or download.
PDF_FONT = "STSong-Light"


def _cell(row: display.Row):
    if not row.available:
        return NOT_AVAILABLE_ZH
    if row.value in (None, ""):
        return NO_FIGURE
    if row.manual and row.type == DECIMAL:
        return float(row.value)  # stored as text (exact); a number in the sheet
    return row.value


def _local(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def _people(user):
    return (user.full_name or user.username) if user else ""


def heading(report: Report) -> tuple[str, str]:
    form = get_form(report.form)
    period = periods.label(periods.of(report))
    return form.name_zh, f"填报单位：{report.unit.name}（{report.unit_id}）    统计期：{period}"


def footer(report: Report) -> list[tuple[str, str]]:
    lines = [("状态", STATUS_ZH[report.status]), ("截止日期", f"{report.deadline:%Y-%m-%d}"),
             ("上报时间", _local(report.submitted_at)), ("填报人", _people(report.submitted_by)),
             ("审核人", _people(report.reviewed_by)), ("审核时间", _local(report.reviewed_at))]
    if report.late:
        lines.append(("逾期", "逾期上报"))
    return lines


def xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    title, subtitle = heading(report)
    book = Workbook()
    sheet = book.active
    sheet.title = report.period_start.strftime("%Y-%m")
    sheet.append([title])
    sheet.append([subtitle])
    sheet.append(list(HEADER))
    for row in display.rows(report, chinese=True):
        sheet.append([row.n, row.label, _cell(row)])
    last = sheet.max_row
    sheet.append([])
    for name, value in footer(report):
        sheet.append(["", name, value])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("A2:C2")
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    for line in sheet.iter_rows(min_row=3, max_row=last, max_col=3):
        for cell in line:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            if cell.row == 3:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center")
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 16
    sheet.print_title_rows = "3:3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    title, subtitle = heading(report)
    big = ParagraphStyle("title", fontName=PDF_FONT, fontSize=18, leading=24, alignment=1)
    small = ParagraphStyle("line", fontName=PDF_FONT, fontSize=10, leading=14)
    # Paragraph reads its text as markup: a remark with "<" or "&" must not break the page.
    table = [list(HEADER)] + [[str(r.n), Paragraph(escape(r.label), small), Paragraph(escape(str(_cell(r))), small)]
                              for r in display.rows(report, chinese=True)]
    grid = Table(table, colWidths=[14 * mm, 110 * mm, 40 * mm], repeatRows=1)
    grid.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), PDF_FONT, 10),
                              ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                              ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                              ("ALIGN", (0, 0), (0, -1), "CENTER"),
                              ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story = [Paragraph(escape(title), big), Spacer(1, 4 * mm), Paragraph(escape(subtitle), small), Spacer(1, 4 * mm), grid,
             Spacer(1, 6 * mm)]
    story += [Paragraph(escape(f"{name}：{value}"), small) for name, value in footer(report)]
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=title, leftMargin=18 * mm, rightMargin=18 * mm,
                      topMargin=18 * mm, bottomMargin=18 * mm).build(story)
    return out.getvalue()
