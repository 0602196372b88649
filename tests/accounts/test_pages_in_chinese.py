"""Every page each role can reach speaks Chinese: no English words in what is shown, and
moments written one way.

Each role opens every admin page of the role matrix it may use (lists, add and change
pages, history) and the error pages; the visible text (not scripts, styles or
attribute values) must hold no English word but the few that are names (API, Excel).
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.accounts.test_admin_doors import CUSTOM_DOORS, LETTER_URLS, MODEL_DOORS, _object, _url

ROLES = ("staff", "liaison", "leader")
# Names that are English in Chinese texts too: formats, keys, the language switcher's
# own name for English, the sign-in methods Django names.
NAMES = {
    "API",
    "Excel",
    "Word",
    "WPS",
    "CSV",
    "xlsx",
    "csv",
    "PDF",
    "JPEG",
    "PNG",
    "UTF",
    "GBK",
    "English",
}
NAMES |= {"Control", "Command", "Mac", "LDAP", "HTTP", "GET", "POST"}
# The role matrix's objects: user names, external ids, a file name, a time zone.
DATA = {"staff", "liaison", "leader", "platform", "guess", "DOOR", "door", "png", "pdf", "unknown"}
DATA |= {"Asia", "Shanghai"}
ALLOWED = NAMES | DATA


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hidden, self.parts = 0, []

    # <bdi> holds values such as a password hash's salt, which are data in any language.
    HIDDEN = ("script", "style", "template", "bdi")

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


# Moments are written 2026-12-01 10:30: not 2026年12月1日, not a raw 10:30:00.123+00:00.
OTHER_DATE_FORMATS = re.compile(r"\d{4}年\d{1,2}月|\d{2}:\d{2}:\d{2}\.\d+|\d{1,2}/\d{1,2}/\d{4}")


def english_words(html, *, also_allowed=()):
    text = visible_text(html)
    return sorted(
        {
            w
            for w in re.findall(r"[A-Za-z][A-Za-z']{2,}", text)
            if w not in ALLOWED and w not in also_allowed
        }
    )


def _pages(objects, role):
    for (model, key), allowed in MODEL_DOORS.items():
        app_label, model_name = model.split(".")
        for letter in allowed.get(role, ""):
            if letter in "LAVH":
                name = f"{app_label}_{model_name}_{LETTER_URLS[letter]}"
                yield _url(name, objects[key], letter)
    for name, key, method, allowed in CUSTOM_DOORS:
        if method == "GET" and role in allowed.split() and name != "autocomplete":
            url = _url(name, _object(objects, key))
            yield url


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_is_in_chinese(client, users, objects, role):
    client.force_login(users[role])
    found = {}
    for url in {reverse("admin:index"), *_pages(objects, role)}:
        response = client.get(url)
        if response.get("Content-Type", "").startswith("text/html"):
            # The user name shows in capitals in the top bar.
            words = english_words(
                response.content.decode(), also_allowed={users[role].username.upper()}
            )
            dates = OTHER_DATE_FORMATS.findall(visible_text(response.content.decode()))
            if words or dates:
                found[url] = words + dates
    assert not found, found


def test_error_pages_are_in_chinese(client, users, settings):
    settings.DEBUG = False  # the pages people see, not Django's technical ones
    client.force_login(users["liaison"])
    refused = client.get(reverse("admin:diversion_lookupchoice_lookup"))
    assert refused.status_code == 403 and "您无权打开此页面" in refused.content.decode()
    missing = client.get("/admin/no-such-page/x/")
    assert missing.status_code == 404 and "此页面不存在" in missing.content.decode()
    for response in (refused, missing):
        assert not english_words(response.content.decode(), also_allowed={"LIAISON"})


def test_the_server_error_page_is_in_chinese(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()
    assert not english_words(response.content.decode())


def test_the_sign_in_and_public_directory_pages_are_in_chinese(client, users, reference_data):
    signing_in = client.get(reverse("admin:login"))
    assert signing_in.status_code == 200 and not english_words(signing_in.content.decode())
    client.force_login(users["liaison"])
    directory = client.get(reverse("directory"))
    assert directory.status_code == 200
    assert not english_words(directory.content.decode(), also_allowed={"LIAISON"})
