"""Where a finding's record is corrected: the page each finding links to."""

from urllib.parse import urlencode

from django.urls import reverse

# Period kinds as the indicator pages read them back (care.periods.parse).
_PERIOD_VALUE = {
    "month": lambda d: f"{d:%Y-%m}",
    "quarter": lambda d: f"{d.year}-{(d.month - 1) // 3 + 1}",
    "half": lambda d: f"{d.year}-{1 if d.month <= 6 else 2}",
    "year": lambda d: f"{d.year}",
}


def record_url(finding) -> str:
    if finding.record_type == "doctor_day":
        _, doctor, day, unit = finding.record_key.split(":")
        return reverse("quality:day", args=[unit]) + "?" + urlencode({"doctor": doctor, "date": day})
    if finding.record_type == "indicator":
        _, code, unit, kind, start = finding.record_key.split(":")
        query = {"period": kind}
        if kind in _PERIOD_VALUE:
            from datetime import date

            query["value"] = _PERIOD_VALUE[kind](date.fromisoformat(start))
        return reverse("indicators:members", args=[code, unit]) + "?" + urlencode(query)
    if finding.resident_id:
        return reverse("people:detail", args=[finding.resident_id])
    return ""
