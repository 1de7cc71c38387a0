"""A report as rows to show: the page, the Excel sheet and the PDF all read these."""

from dataclasses import dataclass

from django.utils.translation import get_language

from . import fill
from .forms_catalogue import FormDef, get_form


@dataclass
class Row:
    n: int
    key: str
    label: str
    manual: bool
    available: bool
    value: object  # the figure (number or text); None when empty or not available
    type: str = ""
    own: object = None  # a township's own manual entry (value = villages + own)
    villages: object = None  # the villages' sum of a township's manual row
    typed: str = ""  # what the user typed, kept when the form comes back with errors
    error: str = ""
    computed_from: str = ""  # indicator code


def english() -> bool:
    return (get_language() or "").startswith("en")


def rows(report, *, typed=None, errors=None, chinese: bool | None = None) -> list[Row]:
    form: FormDef = get_form(report.form)
    zh = not english() if chinese is None else chinese
    computed = report.snapshot.get("rows", {})
    below = report.snapshot.get("villages_manual", {})
    out = []
    for n, row in enumerate(form.rows, start=1):
        label = row.label_zh if zh else row.label_en
        if not row.manual:
            entry = computed.get(row.key, fill.NOT_AVAILABLE)
            out.append(Row(n, row.key, label, False, bool(entry.get("available")), fill.shown(row, entry),
                           computed_from=row.indicator))
            continue
        own = report.manual.get(row.key)
        typed_text = (typed or {}).get(row.key)
        out.append(Row(n, row.key, label, True, True, fill.total_manual(report, row.key), type=row.type, own=own,
                       villages=below.get(row.key), typed=("" if own is None else str(own)) if typed_text is None
                       else typed_text, error=(errors or {}).get(row.key, "")))
    return out
