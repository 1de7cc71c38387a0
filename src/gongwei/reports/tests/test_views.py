"""The pages: each shows only the user's part of the tree and goes through the actions."""

import pytest
from django.urls import reverse
from django.utils import translation

from gongwei.reports import actions
from gongwei.reports.models import Report, Status

from .conftest import TYPED, submitted

OUTSIDERS = ("doctor_v12", "doctor_v21", "ph_t2", "mch_t2", "director_t2")


def posted(typed):
    return {f"m_{k}": v for k, v in typed.items()}


def test_the_township_sees_its_villages_reports_with_status_and_deadline(client, hand_built, as_user):
    submitted(as_user, hand_built, "v11")
    client.force_login(hand_built.user("ph_t1"))
    page = client.get(reverse("reports:list"), {"form": "bphs_month", "period": "2026-04"}).content.decode()
    for name in ("一村卫生室", "二村卫生室", "三村卫生室", "一镇卫生院"):
        assert name in page
    assert "四村卫生室" not in page
    assert "2026-05-20" in page and "2026-05-23" in page
    with translation.override("zh-hans"):
        assert str(Status.SUBMITTED.label) in page
    assert reverse("reports:detail", kwargs={"report": Report.objects.get().pk}) in page


def test_the_village_doctor_fills_saves_and_submits_through_the_page(client, hand_built):
    client.force_login(hand_built.user("doctor_v11"))
    response = client.post(reverse("reports:fill"), {"form": "bphs_month", "period": "2026-04",
                                                      "unit": hand_built.v11.code})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", kwargs={"report": report.pk})
    url = response["Location"]
    page = client.get(url).content.decode()
    assert "高血压患者管理人数" in page or "hypertension patients managed" in page
    assert 'name="m_edu_lectures"' in page and 'name="m_htn_managed"' not in page  # computed rows are read-only

    client.post(url, {"action": "save", "version": report.version, **posted(TYPED)})
    report.refresh_from_db()
    client.post(url, {"action": "submit", "version": report.version, **posted(TYPED)})
    assert Report.objects.get().status == Status.SUBMITTED


def test_errors_keep_what_was_typed(client, hand_built, village_report):
    client.force_login(hand_built.user("doctor_v11"))
    url = reverse("reports:detail", kwargs={"report": village_report.pk})
    response = client.post(url, {"action": "submit", "version": village_report.version,
                                 **posted({**TYPED, "edu_attendees": "四十五", "remarks": "已核对签到表"})})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="四十五"' in page and "已核对签到表" in page and 'aria-invalid="true"' in page
    assert Report.objects.get().status == Status.DRAFT and Report.objects.get().manual == {}


def test_return_approve_and_the_lock_through_the_page(client, hand_built, as_user):
    report = submitted(as_user, hand_built, "v11")
    url = reverse("reports:detail", kwargs={"report": report.pk})
    client.force_login(hand_built.user("ph_t1"))
    assert 'value="approve"' in client.get(url).content.decode()
    client.post(url, {"action": "return", "version": report.version, "reason": "人数有误"})
    report.refresh_from_db()
    assert report.status == Status.RETURNED

    client.force_login(hand_built.user("doctor_v11"))
    assert "人数有误" in client.get(url).content.decode()
    client.post(url, {"action": "submit", "version": report.version, **posted(TYPED)})
    report.refresh_from_db()
    client.force_login(hand_built.user("ph_t1"))
    client.post(url, {"action": "approve", "version": report.version})
    report.refresh_from_db()
    assert report.status == Status.APPROVED

    client.force_login(hand_built.user("doctor_v11"))
    page = client.get(url).content.decode()
    assert 'name="m_edu_lectures"' not in page and 'value="submit"' not in page
    before = report.version
    response = client.post(url, {"action": "save", "version": report.version, **posted({**TYPED, "edu_lectures": "9"})},
                           follow=True)
    report.refresh_from_db()
    assert report.manual["edu_lectures"] == 2 and report.version == before
    assert "locked" in response.content.decode() or "锁定" in response.content.decode()


def test_a_village_doctor_posting_approve_is_refused(client, hand_built, as_user):
    report = submitted(as_user, hand_built, "v11")
    client.force_login(hand_built.user("doctor_v11"))
    response = client.post(reverse("reports:detail", kwargs={"report": report.pk}),
                           {"action": "approve", "version": report.version})
    assert response.status_code == 403 and Report.objects.get().status == Status.SUBMITTED


def test_the_county_accepts_a_township_report_through_the_page(client, hand_built, as_user):
    report = submitted(as_user, hand_built, "v11")
    actions.do_approve(as_user("ph_t1"), report)
    township = actions.do_fill(as_user("ph_t1"), "bphs_month", hand_built.t1, report_period(report))
    township, _ = actions.do_submit(as_user("ph_t1"), township, TYPED)
    client.force_login(hand_built.user("county_admin"))
    listing = client.get(reverse("reports:list"), {"form": "bphs_month", "period": "2026-04"}).content.decode()
    assert "一镇卫生院" in listing and "一村卫生室" not in listing  # the county sees townships
    client.post(reverse("reports:detail", kwargs={"report": township.pk}), {"action": "accept", "version": township.version})
    assert Report.objects.get(pk=township.pk).status == Status.ACCEPTED


def report_period(report):
    from gongwei.reports import periods

    return periods.of(report)


@pytest.mark.parametrize("name", ["detail", "xlsx", "pdf"])
def test_outsiders_cannot_see_or_change_a_villages_report(client, hand_built, as_user, name):
    report = submitted(as_user, hand_built, "v11")
    url = reverse(f"reports:{name}", kwargs={"report": report.pk})
    for outsider in OUTSIDERS:
        client.force_login(hand_built.user(outsider))
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "approve", "version": report.version}).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert Report.objects.get().status == Status.SUBMITTED and Report.objects.get().version == report.version
    for insider in ("doctor_v11", "ph_t1", "county_admin"):
        client.force_login(hand_built.user(insider))
        assert client.get(url).status_code == 200


def test_outsiders_cannot_start_a_villages_report_or_list_it(client, hand_built, as_user):
    submitted(as_user, hand_built, "v11")
    for outsider in OUTSIDERS:
        client.force_login(hand_built.user(outsider))
        response = client.post(reverse("reports:fill"), {"form": "bphs_month", "period": "2026-04",
                                                          "unit": hand_built.v11.code})
        assert response.status_code in (403, 404)
        page = client.get(reverse("reports:list"), {"form": "bphs_month", "period": "2026-04"}).content.decode()
        assert "一村卫生室" not in page
    assert Report.objects.count() == 1

