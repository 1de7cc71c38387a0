"""Checking the manual rows of a report as typed (strings in, typed values or errors out)."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .forms_catalogue import DECIMAL, INT, FormDef

TEXT_MAX = 500


def _number(row, text: str):
    try:
        if row.type == INT:
            value = int(text)
        else:
            value = Decimal(text)
            if not value.is_finite():
                raise InvalidOperation
    except (ValueError, InvalidOperation):
        return None, (_("Enter a whole number.") if row.type == INT else _("Enter a number."))
    if row.min is not None and value < row.min:
        return None, _("At least %(min)s.") % {"min": row.min}
    if row.max is not None and value > row.max:
        return None, _("At most %(max)s.") % {"max": row.max}
    # Decimals are kept as text so that what was typed is what is stored, digit for digit.
    return (value if row.type == INT else str(value)), None


def parse(form: FormDef, data, *, for_submission: bool) -> tuple[dict, dict]:
    """``data`` maps row keys to typed text. Returns (values, errors by row key).

    A draft may be saved half-filled; submitting needs every required row.
    """
    values, errors = {}, {}
    for row in form.manual_rows:
        raw = data.get(row.key)
        text = "" if raw is None else str(raw).strip()
        if not text:
            if for_submission and row.required:
                errors[row.key] = _("Fill this in before submitting.")
            continue
        if row.type in (INT, DECIMAL):
            value, error = _number(row, text)
        elif len(text) > TEXT_MAX:
            value, error = None, _("At most %(n)d characters.") % {"n": TEXT_MAX}
        else:
            value, error = text, None
        if error:
            errors[row.key] = error
        else:
            values[row.key] = value
    return values, errors
