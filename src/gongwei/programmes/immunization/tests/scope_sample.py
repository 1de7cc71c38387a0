"""Records of the immunization programme in 一村 (v11) for the scope walk (web/tests/test_scope.py).

A child with a card, a dose and a suspected adverse event; the marker words appear only on
their pages. The child was born 10 weeks before the day the suite runs, so something is due.
"""

from datetime import timedelta

from django.utils import timezone

CHILD = "甄苗苗"
BATCH = "秘批号7731"
SYMPTOMS = "接种秘症状"


def build(county, make_resident, rf_for, resident):
    from gongwei.care.models import Enrolment
    from gongwei.programmes.immunization import actions

    request = rf_for(county.user("ph_t1"))
    born = timezone.localdate() - timedelta(days=70)
    child = make_resident(county.v11, CHILD, birth_date=born, id_number=None, record_created=born)
    card = actions.do_issue_card(request, child, born + timedelta(days=5), county.t1)
    enrolment = Enrolment.objects.select_related("resident").get(pk=card.enrolment_id)
    dose = actions.do_record_dose(request, enrolment, {
        "vaccine": "HepB", "dose": 1, "date": born, "batch": BATCH, "manufacturer": "某所",
        "clinic": county.t1, "vaccinator": county.user("ph_t1")})
    aefi = actions.do_report_aefi(request, dose, {
        "onset_date": born, "symptoms": SYMPTOMS, "severity": "general", "hospitalised": False,
        "reported_on": born + timedelta(days=1)})
    return ({"imm_child": child.pk, "imm_enrolment": enrolment.pk, "imm_dose": dose.pk, "imm_aefi": aefi.pk},
            [CHILD, BATCH, SYMPTOMS])
