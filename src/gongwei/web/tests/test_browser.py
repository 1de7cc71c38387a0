"""End to end in Debian's Chromium: login → home → logout.

Needs /usr/bin/chromium (`make test` installs it with apt-get when run as root). Without it
the test is skipped with a loud message rather than failing on a machine that cannot have it.
"""

import os
import shutil

import pytest

from gongwei.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason="!!! Debian's chromium is not installed: browser test SKIPPED !!!"),
]

# Flags that keep Chromium from calling home on a machine with no internet (each call would
# hang until it times out) and let it run as root in a container.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop; Django refuses ORM calls from inside one
    # unless told that this thread is safe for them (it is: the test thread owns the DB).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_village_doctor_logs_in_sees_home_and_logs_out(live_server, county, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"
    page.fill("#id_username", "doctor_v11")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "一村卫生室" in page.locator(".scope").inner_text()
    assert page.locator("nav.menu a", has_text="首页").count() == 1
    page.click("text=退出")
    page.wait_for_url("**/login/")
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url


def test_doctor_records_a_follow_up_from_the_work_list(live_server, county, make_resident, rf_for, browser):
    from datetime import timedelta

    from django.utils import timezone

    from gongwei.care import actions

    today = timezone.localdate()
    patient = make_resident(county.v11, "随访甲", birth_date=today.replace(year=today.year - 60))
    # Enrolled 85 days ago: due in 5 days (routine interval 90 days), so on this week's or
    # this month's list.
    enrolment = actions.do_enrol(rf_for(county.user("doctor_v11")), patient, "htn", today - timedelta(days=85))
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "doctor_v11")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/care/")
    row = page.locator("tr", has_text="随访甲")
    assert row.count() == 1
    row.get_by_role("link", name="录入随访").click()
    # The cursor starts in the systolic field: type the reading and save from the keyboard.
    page.wait_for_selector("#id_sbp:focus")
    page.keyboard.type("128")
    page.keyboard.press("Tab")
    page.keyboard.type("76")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/care/")
    assert page.locator("tr", has_text="随访甲").count() == 0
    enrolment.refresh_from_db()
    assert enrolment.last_visit_on == today
    assert enrolment.next_due == today + timedelta(days=90)  # 控制满意 → routine interval
