"""Records of the child programme in village v11 for the scope walk (web/tests/test_scope.py)."""

from datetime import date


def build(county, make_resident, rf_for, resident):
    from gongwei.care.models import Enrolment
    from gongwei.programmes.child import actions

    request = rf_for(county.user("doctor_v11"))
    child = make_resident(county.v11, "童秘密", birth_date=date(2026, 3, 10), id_number=None)
    enrolment = actions.do_enrol_child(request, child, date(2026, 3, 10))
    enrolment = Enrolment.objects.select_related("resident").get(pk=enrolment.pk)
    _visit, _result, case = actions.do_record_check(
        request, enrolment, date(2026, 6, 12),
        {"visit_code": "m3", "weight_kg": 4.7, "length_height_cm": 58.0, "measured_lying": True,
         "note": "童检秘语"})
    # 4.7 kg at 3 months lies between −3 SD (4.4) and −2 SD (5.0): moderate underweight, a weak
    # case but no referral (the scope fixture expects the one referral it makes itself).
    dead = make_resident(county.v11, "童亡者", birth_date=date(2026, 1, 5), id_number=None)
    death = actions.do_register_child_death(request, dead, date(2026, 2, 1), "童亡秘因", "1")
    check = enrolment.visits.get().child_check
    return ({"child_enrolment": enrolment.pk, "child_check": check.pk, "weak_case": case.pk,
             "weak_enrolment": case.enrolment_id, "child_death": death.pk},
            ["童秘密", "童检秘语", "童亡者", "童亡秘因"])
