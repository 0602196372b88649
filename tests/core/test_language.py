from django.urls import reverse


def test_admin_speaks_chinese_by_default_and_english_on_request(client, staff_user):
    client.force_login(staff_user)
    assert "成员单位" in client.get(reverse("admin:index")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})
    assert "Member units" in client.get(reverse("admin:index")).content.decode()
