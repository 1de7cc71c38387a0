"""A report of village v11 for the scope walk (web/tests/test_scope.py), in the shape of the
programmes' scope samples: ``build(...) -> (URL kwargs, marker texts)``."""

from datetime import datetime
from zoneinfo import ZoneInfo

TYPED = {"edu_lectures": "1", "edu_attendees": "37", "edu_consultations": "0", "edu_boards": "0",
         "remarks": "报表秘注"}


def build(county, make_resident, rf_for, resident):
    from gongwei.care.periods import month
    from gongwei.reports import actions

    request = rf_for(county.user("doctor_v11"))
    report = actions.do_fill(request, "bphs_month", county.v11, month(2025, 5))
    report, _ = actions.do_submit(request, report, TYPED,
                                  now=datetime(2025, 6, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    # The remark shows on the report's page and in its exports, and nowhere else.
    return {"report": report.pk}, ["报表秘注"]
