"""Tickets and supervision notices in the admin, for staff and for a unit's liaison."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.tickets import supervision
from apps.tickets.models import SupervisionNotice, Ticket
from tests.factories import UserFactory


@pytest.fixture
def liaison(police):
    return UserFactory(username="police-liaison", role=Role.LIAISON, unit=police)


@pytest.fixture
def overdue(make_ticket):
    return make_ticket(urgency="urgent", received_at=timezone.now() - timedelta(hours=2))


@pytest.fixture
def other_units_ticket(make_ticket, tier3_unit):
    return make_ticket(unit=tier3_unit)


def test_overdue_tickets_stand_out_for_staff(client, staff_user, overdue, other_units_ticket):
    client.force_login(staff_user)
    page = client.get(reverse("admin:tickets_ticket_changelist")).content.decode()
    assert page.count('class="overdue"') == 1
    filtered = client.get(reverse("admin:tickets_ticket_changelist"), {"overdue": "yes"})
    assert list(filtered.context["cl"].result_list) == [overdue]


def test_unit_filter_uses_autocomplete(client, staff_user, overdue, other_units_ticket, police):
    client.force_login(staff_user)
    response = client.get(
        reverse("admin:tickets_ticket_changelist"), {"unit__id__exact": police.pk}
    )
    assert list(response.context["cl"].result_list) == [overdue]
    assert "admin-autocomplete" in response.content.decode()


def test_caller_phone_masked_in_list_and_for_liaisons(client, staff_user, liaison, overdue):
    client.force_login(liaison)
    page = client.get(reverse("admin:tickets_ticket_change", args=[overdue.pk])).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    client.force_login(staff_user)
    page = client.get(reverse("admin:tickets_ticket_change", args=[overdue.pk])).content.decode()
    assert "13812345678" in page


def test_liaison_sees_only_own_units_tickets(client, liaison, overdue, other_units_ticket):
    client.force_login(liaison)
    listed = client.get(reverse("admin:tickets_ticket_changelist")).context["cl"].result_list
    assert list(listed) == [overdue]
    other = client.get(reverse("admin:tickets_ticket_change", args=[other_units_ticket.pk]))
    assert other.status_code == 302  # treated as missing


def test_restricted_tickets_hidden_from_liaisons_and_leaders(
    client, liaison, leader_user, make_ticket
):
    secret = make_ticket(restriction="case")
    for user in (liaison, leader_user):
        client.force_login(user)
        response = client.get(reverse("admin:tickets_ticket_changelist"))
        assert secret not in list(response.context["cl"].result_list)


def test_liaison_signs_and_completes_from_the_ticket_page(client, liaison, overdue):
    client.force_login(liaison)
    change = reverse("admin:tickets_ticket_change", args=[overdue.pk])
    assert "ticket-action-sign" in client.get(change).content.decode()
    client.post(reverse("admin:tickets_ticket_act", args=[overdue.pk, "sign"]))
    client.post(
        reverse("admin:tickets_ticket_act", args=[overdue.pk, "complete"]),
        {"result": "已到现场劝离，噪音已停止。"},
    )
    overdue.refresh_from_db()
    assert overdue.status == "completed"
    assert [e.actor for e in overdue.events.exclude(type="created")] == [liaison, liaison]


def test_liaison_cannot_act_on_another_units_ticket(client, liaison, other_units_ticket):
    client.force_login(liaison)
    response = client.post(
        reverse("admin:tickets_ticket_act", args=[other_units_ticket.pk, "sign"])
    )
    assert response.status_code == 404
    other_units_ticket.refresh_from_db()
    assert other_units_ticket.status == "transferred"


def test_refused_step_shows_the_reason(client, liaison, overdue):
    client.force_login(liaison)
    response = client.post(
        reverse("admin:tickets_ticket_act", args=[overdue.pk, "complete"]), follow=True
    )
    assert any("待签收" in str(m) for m in response.context["messages"])


def test_staff_send_notice_and_reroute_actions(
    client, staff_user, overdue, tier3_unit, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    url = reverse("admin:tickets_ticket_changelist")
    asked = client.post(
        url, {"action": "send_supervision_notice", "_selected_action": [overdue.pk]}
    )
    assert asked.status_code == 200 and "text" in asked.context["form"].fields
    assert not SupervisionNotice.objects.exists()  # nothing before the text is given
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "action": "send_supervision_notice",
                "_selected_action": [overdue.pk],
                "text": "请于今日内联系来电人并反馈处置情况。",
            },
        )
    notice = SupervisionNotice.objects.select_related("notice").get(
        ticket=overdue, issued_by=staff_user
    )
    assert notice.notice.body.startswith("请于今日内联系来电人并反馈处置情况。")
    assert notice.notice.delivered_at is not None  # the delivery task ran after the commit
    confirm = client.post(url, {"action": "reroute", "_selected_action": [overdue.pk]})
    assert confirm.status_code == 200 and "form" in confirm.context
    client.post(url, {"action": "reroute", "_selected_action": [overdue.pk], "unit": tier3_unit.pk})
    overdue.refresh_from_db()
    assert overdue.unit == tier3_unit and overdue.routing_round == 2


def test_liaison_cannot_use_staff_actions(client, liaison, overdue):
    client.force_login(liaison)
    page = client.get(reverse("admin:tickets_ticket_changelist")).content.decode()
    assert "send_supervision_notice" not in page and "reroute" not in page


def test_liaison_reads_and_acknowledges_a_notice(client, liaison, staff_user, overdue):
    notice = supervision.issue_notice_now(overdue, issued_by=staff_user, text="请尽快签收。")
    client.force_login(liaison)
    page = client.get(reverse("admin:tickets_supervisionnotice_change", args=[notice.pk]))
    assert "acknowledge-button" in page.content.decode()
    assert "请尽快签收。" in page.content.decode()  # the whole text, not only metadata
    notice.notice.refresh_from_db()
    assert notice.notice.read_at is not None and notice.notice.acknowledged_at is None
    client.post(reverse("admin:tickets_supervisionnotice_acknowledge", args=[notice.pk]))
    notice.notice.refresh_from_db()
    assert notice.notice.acknowledged_by == liaison
    client.force_login(staff_user)
    listing = client.get(reverse("admin:tickets_supervisionnotice_changelist")).content.decode()
    assert '<span class="overdue">未确认' not in listing


def test_changelist_queries_do_not_grow_with_rows(
    client, staff_user, make_ticket, django_assert_max_num_queries
):
    for _ in range(30):
        make_ticket()
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        client.get(reverse("admin:tickets_ticket_changelist"))
    assert Ticket.objects.count() == 30


def test_policy_form_says_when_an_edit_takes_effect(client, staff_user, settings):
    from apps.tickets.models import DeadlinePolicy

    settings.TICKET_INTAKE_CACHE_SECONDS = 10
    client.force_login(staff_user)
    policy = DeadlinePolicy.objects.get(name="一般工单默认时限")
    page = client.get(reverse("admin:tickets_deadlinepolicy_change", args=[policy.pk]))
    assert "最迟 10 秒内新收到的工单即按修改后的规则计算时限" in page.content.decode()


def _found(client, term):
    response = client.get(reverse("admin:tickets_ticket_changelist"), {"q": term})
    assert response.status_code == 200
    return {t.pk for t in response.context["cl"].result_list}


def test_search_by_part_of_the_number_the_summary_and_for_staff_the_phone(
    client, staff_user, leader_user, liaison, make_ticket
):
    dog = make_ticket(summary="邻居家的狗半夜一直叫", caller_phone="13912345678")
    lamp = make_ticket(summary="小区路灯晚上不亮", caller_phone="13877776666")
    client.force_login(staff_user)
    assert _found(client, dog.external_id[-5:]) == {dog.pk}
    assert _found(client, "路灯") == {lamp.pk}
    assert _found(client, "路灯 不亮") == {lamp.pk}  # every word
    assert _found(client, "路灯 狗") == set()
    assert _found(client, "1234567") == {dog.pk}  # part of the caller's number
    for user in (leader_user, liaison):
        client.force_login(user)
        assert _found(client, "路灯") == {lamp.pk}
        assert _found(client, "1234567") == set()  # the number is staff's only


def test_the_deadline_column_marks_a_circulated_ticket(client, staff_user, overdue):
    Ticket.objects.filter(pk=overdue.pk).update(circular_at=timezone.now())
    client.force_login(staff_user)
    page = client.get(reverse("admin:tickets_ticket_changelist")).content.decode()
    assert '<span class="circular">已通报</span>' in page and "overdue" in page
