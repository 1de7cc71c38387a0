"""Login, lockout, sessions, headers and logs: the safe-accounts promises."""

import logging

import pytest
from django.test import Client

from gongwei.config import settings as real_settings
from gongwei.conftest import PASSWORD
from gongwei.orgs.logredact import redact


def test_passwords_are_hashed_with_argon2_in_the_real_settings():
    assert real_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_page_is_chinese_by_default(client, db):
    page = client.get("/login/").content.decode()
    assert 'lang="zh-hans"' in page and "登录" in page


def test_english_is_one_click_away(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    page = client.get("/login/").content.decode()
    assert 'lang="en"' in page and "Log in" in page


def test_login_then_home_shows_unit_and_scope(client, county):
    response = client.post("/login/", {"username": "ph_t1", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/"
    assert "一镇卫生院" in page and "范围" in page


def test_wrong_password_keeps_the_user_name_and_explains_in_chinese(client, county):
    page = client.post("/login/", {"username": "ph_t1", "password": "wrong"}).content.decode()
    assert 'value="ph_t1"' in page
    assert "用户名或密码错误" in page


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, county):
    for _ in range(5):
        client.post("/login/", {"username": "ph_t1", "password": "wrong"})
    response = client.post("/login/", {"username": "ph_t1", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account(client, county):
    for _ in range(5):
        client.post("/login/", {"username": "ph_t1", "password": "wrong"})
    response = client.post("/login/", {"username": "ph_t2", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_needs_post_and_ends_the_session(client, county):
    client.force_login(county.user("ph_t1"))
    assert client.get("/logout/").status_code == 405
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_session_expires_after_thirty_idle_minutes():
    assert real_settings.SESSION_COOKIE_AGE == 30 * 60
    assert real_settings.SESSION_SAVE_EVERY_REQUEST  # each request restarts the 30 minutes


def test_forms_refuse_a_post_without_csrf_token(county):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/login/", {"username": "ph_t1", "password": PASSWORD})
    assert response.status_code == 403


def test_every_post_form_on_the_home_page_carries_a_csrf_token(client, county):
    client.force_login(county.user("ph_t1"))
    page = client.get("/").content.decode()
    assert page.count('method="post"') == page.count("csrfmiddlewaretoken") > 0


def test_pages_carry_a_strict_content_security_policy_and_security_headers(client, db):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_load_no_asset_from_another_host(client, county):
    client.force_login(county.user("county_admin"))
    for url in ("/login/", "/", "/units/"):
        page = client.get(url).content.decode()
        assert 'src="http' not in page and 'href="http' not in page


@pytest.mark.parametrize("text", [
    "查询 11010519491231002X 的记录",
    "phone 13812345678 called",
    "legacy 110105491231002",
])
def test_log_lines_never_carry_id_or_phone_numbers(text):
    clean = redact(text)
    assert clean != text
    for secret in ("11010519491231002X", "13812345678", "110105491231002"):
        assert secret not in clean


def test_redaction_runs_on_every_log_record(caplog):
    from gongwei.orgs.logredact import RedactPersonalData

    logger = logging.getLogger("gongwei.test")
    logger.addFilter(RedactPersonalData())
    with caplog.at_level(logging.INFO, logger="gongwei.test"):
        logger.info("resident %s phone %s", "11010519491231002X", "13812345678")
    assert "11010519491231002X" not in caplog.text and "13812345678" not in caplog.text
    assert "[身份证号]" in caplog.text
