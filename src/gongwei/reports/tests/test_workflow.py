"""The path of a report up the tree, through the actions (the rules live there, not in pages).
Figures: see conftest.py (April 2026, hand-built county)."""


import pytest

from gongwei.audit.models import Action, AuditEvent
from gongwei.reports import actions, display
from gongwei.reports.models import Report, ReportEvent, Status

from .conftest import APRIL, ON_TIME, TYPED, at, submitted


def figures(report):
    return {r.key: r.value for r in display.rows(report)}


def test_a_village_report_is_filled_from_its_indicators(village_report):
    f = figures(village_report)
    assert (f["htn_managed"], f["htn_standard_n"], f["htn_standard"]) == (2, 2, 100.0)
    assert (f["htn_control_n"], f["htn_control"], f["htn_management"]) == (2, 100.0, 200.0)
    assert village_report.status == Status.DRAFT and village_report.deadline.isoformat() == "2026-05-20"


def test_rows_of_indicators_not_declared_yet_show_not_available(hand_built, as_user, monkeypatch):
    from gongwei.reports.forms_catalogue import FORMS, Computed, FormDef, Manual

    monkeypatch.setitem(FORMS, "trial", FormDef("trial", "试报表", "Trial", "month", {"village": 20, "township": 23}, (
        Computed("future", "尚未上线的指标（%）", "Future indicator (%)", "no.such_indicator"),
        Computed("htn_managed", "高血压患者管理人数", "Managed", "htn.standard", "denominator"),
        Manual("count", "次数", "Count"))))
    report = actions.do_fill(as_user("doctor_v11"), "trial", hand_built.v11, APRIL, now=ON_TIME)
    rows = {r.key: r for r in display.rows(report)}
    assert not rows["future"].available and rows["future"].value is None
    assert rows["htn_managed"].value == 2 and rows["count"].available


def test_the_mch_report_fills_whatever_mch_indicators_are_declared(hand_built, as_user):
    report = actions.do_fill(as_user("doctor_v11"), "mch_month", hand_built.v11, APRIL, now=ON_TIME)
    rows = display.rows(report)
    assert len(rows) == 22 and rows[-2].key == "handbooks" and rows[-2].available


def test_full_path_village_to_township_to_county(hand_built, as_user):
    c = hand_built
    report = submitted(as_user, c, "v11")
    assert report.status == Status.SUBMITTED and report.snapshot["rows"]["htn_managed"]["numerator"] == 2

    actions.do_return(as_user("ph_t1"), report, "讲座参加人数与签到表不符", now=at(2026, 5, 16))
    assert report.status == Status.RETURNED and report.return_reason == "讲座参加人数与签到表不符"

    report, _ = actions.do_submit(as_user("doctor_v11"), report, {**TYPED, "edu_attendees": "40"},
                                  now=at(2026, 5, 17))
    actions.do_approve(as_user("ph_t1"), report, now=at(2026, 5, 18))
    assert report.status == Status.APPROVED and report.locked and report.manual["edu_attendees"] == 40

    # Locked: the action refuses, whatever the page shows.
    with pytest.raises(actions.Locked):
        actions.do_save(as_user("doctor_v11"), report, {**TYPED, "edu_attendees": "99"})
    with pytest.raises(actions.Locked):
        actions.do_submit(as_user("doctor_v11"), report, TYPED)
    with pytest.raises(actions.Locked):
        actions.do_fill(as_user("doctor_v11"), "bphs_month", c.v11, APRIL)
    with pytest.raises(actions.Locked):
        actions.do_return(as_user("ph_t1"), report, "再改一下")

    v12 = submitted(as_user, c, "v12", typed={**TYPED, "edu_attendees": "10"})
    actions.do_approve(as_user("ph_t1"), v12, now=at(2026, 5, 19))

    township = actions.do_fill(as_user("ph_t1"), "bphs_month", c.t1, APRIL, now=at(2026, 5, 21))
    township, _ = actions.do_submit(as_user("ph_t1"), township, {**TYPED, "edu_attendees": "30"},
                                    now=at(2026, 5, 22))
    f = figures(township)
    assert (f["htn_managed"], f["htn_standard_n"], f["htn_standard"], f["htn_control"]) == (3, 2, 66.67, 66.67)
    assert f["edu_attendees"] == 40 + 10 + 30  # the villages' approved counts plus the township's own
    assert township.snapshot["villages"] == {"included": [c.v11.code, c.v12.code], "missing": [c.v13.code]}
    assert not township.late

    actions.do_accept(as_user("county_admin"), township, now=at(2026, 5, 25))
    assert township.status == Status.ACCEPTED and township.locked
    with pytest.raises(actions.Locked):
        actions.do_save(as_user("ph_t1"), township, TYPED)

    kinds = list(ReportEvent.objects.filter(report=report).values_list("kind", flat=True))
    assert kinds == ["fill", "submit", "return", "submit", "approve"]
    audited = AuditEvent.objects.filter(object_type="report", object_id=str(report.pk))
    assert [e.detail["event"] for e in audited.order_by("id")] == kinds
    assert audited.filter(action=Action.STATUS, detail__reason="讲座参加人数与签到表不符").exists()


def test_submitted_report_waits_for_review_and_cannot_be_changed(hand_built, as_user):
    report = submitted(as_user, hand_built, "v11")
    with pytest.raises(actions.Locked):
        actions.do_save(as_user("doctor_v11"), report, TYPED)


def test_a_return_needs_a_reason(hand_built, as_user):
    report = submitted(as_user, hand_built, "v11")
    with pytest.raises(actions.ReportError):
        actions.do_return(as_user("ph_t1"), report, "   ")
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_submission_needs_every_count_and_keeps_nothing_when_one_is_wrong(village_report, as_user):
    with pytest.raises(actions.Invalid) as error:
        actions.do_submit(as_user("doctor_v11"), village_report, {**TYPED, "edu_attendees": "", "edu_boards": "x"})
    assert set(error.value.errors) == {"edu_attendees", "edu_boards"}
    assert Report.objects.get(pk=village_report.pk).status == Status.DRAFT


# --- Lateness, at the boundaries (county time) ----------------------------------------------

def test_status_is_on_time_when_submitted_on_the_last_minute_of_the_deadline_day(hand_built, as_user):
    assert not submitted(as_user, hand_built, "v11", now=at(2026, 5, 20, 23, 59)).late


def test_status_is_late_when_submitted_the_first_minute_after_the_deadline_day(hand_built, as_user):
    report = submitted(as_user, hand_built, "v11", now=at(2026, 5, 21, 0, 0))
    assert report.late
    assert ReportEvent.objects.get(report=report, kind="submit").detail["late"] is True


def test_a_township_report_is_late_after_the_23rd(hand_built, as_user):
    township = actions.do_fill(as_user("ph_t1"), "bphs_month", hand_built.t1, APRIL, now=at(2026, 5, 22))
    township, _ = actions.do_submit(as_user("ph_t1"), township, TYPED, now=at(2026, 5, 24, 8))
    assert township.late


def test_resubmitting_after_a_return_past_the_deadline_is_still_on_time(hand_built, as_user):
    report = submitted(as_user, hand_built, "v11", now=at(2026, 5, 19))
    actions.do_return(as_user("ph_t1"), report, "补充说明", now=at(2026, 5, 21))
    report, _ = actions.do_submit(as_user("doctor_v11"), report, TYPED, now=at(2026, 5, 22))
    assert not report.late


def test_a_draft_past_its_deadline_is_overdue(village_report):
    from datetime import date

    assert not village_report.overdue_on(date(2026, 5, 20))
    assert village_report.overdue_on(date(2026, 5, 21))


# --- Who may act ---------------------------------------------------------------------------

def test_a_village_doctor_cannot_approve(hand_built, as_user):
    report = submitted(as_user, hand_built, "v11")
    for name in ("doctor_v11", "doctor_v12"):
        with pytest.raises(actions.NotAllowed):
            actions.do_approve(as_user(name), report)
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_another_township_cannot_act_on_it(hand_built, as_user):
    report = submitted(as_user, hand_built, "v11")
    with pytest.raises(actions.NotAllowed):
        actions.do_approve(as_user("ph_t2"), report)
    with pytest.raises(actions.NotAllowed):
        actions.do_return(as_user("director_t2"), report, "不对")
    assert not Report.objects.for_user(hand_built.user("ph_t2")).exists()


def test_the_mch_officer_does_not_review_the_basic_report_but_the_director_does(hand_built, as_user):
    report = submitted(as_user, hand_built, "v11")
    with pytest.raises(actions.NotAllowed):
        actions.do_approve(as_user("mch_t1"), report)
    actions.do_approve(as_user("director_t1"), report)


def test_a_township_cannot_accept_and_the_county_cannot_approve_a_village(hand_built, as_user):
    report = submitted(as_user, hand_built, "v11")
    with pytest.raises(actions.NotAllowed):
        actions.do_accept(as_user("ph_t1"), report)
    with pytest.raises(actions.NotAllowed):
        actions.do_approve(as_user("county_admin"), report)


def test_only_the_units_own_staff_fill_its_report(hand_built, as_user):
    with pytest.raises(actions.NotAllowed):
        actions.do_fill(as_user("ph_t1"), "bphs_month", hand_built.v11, APRIL)
    with pytest.raises(actions.NotAllowed):
        actions.do_fill(as_user("doctor_v12"), "bphs_month", hand_built.v11, APRIL)
    with pytest.raises(actions.NotAllowed):
        actions.do_fill(as_user("sysadmin"), "bphs_month", hand_built.v11, APRIL)
    with pytest.raises(actions.ReportError):
        actions.do_fill(as_user("county_admin"), "bphs_month", hand_built.county, APRIL)


def test_two_reviewers_cannot_both_decide(hand_built, as_user):
    report = submitted(as_user, hand_built, "v11")
    seen_by_second = Report.objects.get(pk=report.pk)
    actions.do_approve(as_user("ph_t1"), report)
    with pytest.raises(actions.Locked):
        actions.do_return(as_user("director_t1"), seen_by_second, "不对", version=seen_by_second.version)


def test_a_stale_page_cannot_overwrite_a_newer_save(village_report, as_user):
    old = village_report.version
    actions.do_save(as_user("doctor_v11"), village_report, TYPED, version=old)
    with pytest.raises(actions.Conflict):
        actions.do_save(as_user("doctor_v11"), village_report, {**TYPED, "edu_lectures": "9"}, version=old)
    assert Report.objects.get(pk=village_report.pk).manual["edu_lectures"] == 2


# --- Data quality: a warning, never a block ------------------------------------------------

def test_open_findings_warn_but_do_not_block(village_report, as_user, hand_built):
    from datetime import date

    from gongwei.people.models import Resident
    from gongwei.programmes.chronic.models import BloodPressureReading
    from gongwei.quality.run import run

    # An implausible reading in 一村, as an import from an old system could bring in.
    resident = Resident.objects.filter(village=hand_built.v11).first()
    BloodPressureReading.objects.create(resident=resident, village=hand_built.v11, date=date(2026, 4, 3),
                                        sbp=300, dbp=95, doctor=hand_built.user("doctor_v11"))
    run(hand_built.v11.code)
    report, findings = actions.do_submit(as_user("doctor_v11"), village_report, TYPED, now=ON_TIME)
    # Two open findings in 一村: the 300 mmHg reading, and the hand-built county's April
    # management rate of 200% (2 managed ÷ (2 residents 35+ × prevalence 0.5)) — a rate
    # above 100% that the county's prevalence setting produces.
    assert (report.status, findings) == (Status.SUBMITTED, 2)
    assert ReportEvent.objects.get(report=report, kind="submit").detail["open_findings"] == 2


# --- Summaries -----------------------------------------------------------------------------

def test_a_half_year_summary_prefills_counts_from_the_months(hand_built, as_user):
    from gongwei.care.periods import half

    submitted(as_user, hand_built, "v11")
    summary = actions.do_fill(as_user("doctor_v11"), "bphs_half", hand_built.v11, half(2026, 1), now=at(2026, 7, 1))
    assert summary.manual["edu_attendees"] == 45
    assert summary.deadline.isoformat() == "2026-07-03"
    assert figures(summary)["htn_managed"] == 3  # 甲 乙, and 戊 until her death in March
