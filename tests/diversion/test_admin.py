"""Staff run the list workflow in the admin."""

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.directory.models import Unit
from apps.diversion import exporters, services
from apps.diversion.models import DiversionList, ListStatus


def test_new_version_button_creates_a_draft(staff_client, nantong):
    response = staff_client.post(
        reverse("admin:diversion_diversionlist_new_version", args=[nantong.pk])
    )
    draft = DiversionList.objects.get(region=nantong.region, status=ListStatus.DRAFT)
    assert response.url == reverse("admin:diversion_diversionlist_change", args=[draft.pk])
    assert draft.items.count() == 130


def test_published_item_page_is_read_only_and_says_to_create_a_new_version(staff_client, nantong):
    item = nantong.items.first()
    url = reverse("admin:diversion_diversionitem_change", args=[item.pk])
    page = staff_client.get(url).content.decode()
    assert "请为清单创建新版本" in page
    assert 'name="matter"' not in page
    response = staff_client.post(url, {"matter": "改"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.matter != "改"


def test_publish_button_reports_problems(staff_client, nantong):
    draft = services.new_version(nantong)
    draft.items.filter(item_code="H2P-002").update(
        matter=draft.items.get(item_code="H2P-001").matter
    )
    url = reverse("admin:diversion_diversionlist_publish", args=[draft.pk])
    asked = staff_client.get(url).content.decode()
    assert "H2P-002" in asked and "disabled" in asked  # the problems, before confirming
    response = staff_client.post(url, {"confirm": "1", "change_note": "调整"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("H2P-002" in m and "重复出现" in m for m in messages)
    assert any("未发布" in m for m in messages)
    draft.refresh_from_db()
    assert draft.status == ListStatus.DRAFT


def test_import_preview_then_confirm(staff_client, nantong):
    draft = services.new_version(nantong)
    exported = exporters.export_list(nantong)
    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook.worksheets[0]
    sheet["E2"] = "对卖淫嫖娼、赌博、贩卖或吸食毒品、涉黑涉恶的举报（修订）"
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = "edited.xlsx"
    buffer.seek(0)
    url = reverse("admin:diversion_diversionlist_import", args=[draft.pk])
    preview = staff_client.post(url, {"file": buffer})
    assert preview.context["preview"].counts == {"added": 0, "changed": 1, "removed": 1}
    assert draft.items.count() == 130  # nothing saved yet
    confirmed = staff_client.post(url, {"confirm": "1"})
    assert confirmed.status_code == 302
    assert draft.items.count() == 129


def test_import_errors_are_listed_by_row(staff_client, nantong):
    draft = services.new_version(nantong)
    upload = io.BytesIO("方向,类别,事项\n12345到110,社会治安类,甲\n".encode())
    upload.name = "bad.csv"
    response = staff_client.post(
        reverse("admin:diversion_diversionlist_import", args=[draft.pk]), {"file": upload}
    )
    first_error = str(response.context["errors"][0])
    assert first_error.startswith("第2行，“方向”列")
    assert draft.items.count() == 130


def test_compare_page_and_excel_export(staff_client, nantong):
    draft = services.new_version(nantong)
    draft.items.filter(item_code="H2P-001").delete()
    url = reverse("admin:diversion_diversionlist_compare", args=[draft.pk])
    page = staff_client.get(url)
    assert [s.item_code for s in page.context["diff"].removed] == ["H2P-001"]
    export = staff_client.get(url, {"against": nantong.pk, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].values)
    assert rows[1][:2] == ("删除", "H2P-001")


def test_derive_a_county_list(staff_client, nantong):
    from apps.directory.models import Region

    county = Region.objects.create(
        name="海门区", division_code="320614", level="district", parent=nantong.region
    )
    response = staff_client.post(
        reverse("admin:diversion_diversionlist_derive"), {"region": county.pk}
    )
    draft = DiversionList.objects.get(region=county)
    assert response.url.endswith(f"/{draft.pk}/change/")
    assert draft.items.count() == 130


def test_leadership_reads_lists_but_cannot_publish(client, leader_user, nantong):
    client.force_login(leader_user)
    assert client.get(reverse("admin:diversion_diversionlist_changelist")).status_code == 200
    draft = services.new_version(nantong)
    response = client.post(reverse("admin:diversion_diversionlist_publish", args=[draft.pk]))
    assert response.status_code == 403


def test_the_unit_picker_names_each_units_region(staff_client, nantong):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "diversion",
            "model_name": "diversionitem",
            "field_name": "lead_unit",
            "term": "市公安局",
        },
    )
    texts = [r["text"] for r in response.json()["results"]]
    assert "市公安局（南通市）" in texts
    assert len(texts) == len(set(texts))  # no four identical "市公安局"


def test_a_co_unit_of_another_city_is_refused_by_name(staff_client, nantong):
    draft = services.new_version(nantong)
    item = draft.items.select_related("lead_unit").first()
    foreign = Unit.objects.exclude(region__division_code__startswith="3206").first()
    url = reverse("admin:diversion_diversionitem_change", args=[item.pk])
    response = staff_client.post(
        url,
        {
            "diversion_list": draft.pk,
            "item_code": item.item_code,
            "direction": item.direction,
            "category": item.category,
            "subcategory": item.subcategory,
            "matter": item.matter,
            "lead_unit": item.lead_unit_id or "",
            "co_units": [foreign.pk],
            "order": item.order,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["co_units"]
    assert foreign.label in errors[0]
    assert not item.co_units.filter(pk=foreign.pk).exists()


def test_publishing_asks_for_the_change_note_and_records_it(staff_client, staff_user, nantong):
    draft = services.new_version(nantong)
    url = reverse("admin:diversion_diversionlist_publish", args=[draft.pk])
    page = staff_client.get(url)
    assert page.status_code == 200 and 'name="change_note"' in page.content.decode()
    unconfirmed = staff_client.post(url, {"change_note": "只点了按钮"})
    assert unconfirmed.status_code == 200  # asked again, not published
    empty = staff_client.post(url, {"confirm": "1", "change_note": ""})
    assert "change_note" in empty.context["form"].errors
    draft.refresh_from_db()
    assert draft.status == ListStatus.DRAFT
    staff_client.post(url, {"confirm": "1", "change_note": "新增共享单车乱停放事项"})
    draft.refresh_from_db()
    assert draft.status == ListStatus.PUBLISHED and draft.change_note == "新增共享单车乱停放事项"
    assert draft.approved_by == staff_user
    history = staff_client.get(
        reverse("admin:diversion_diversionlist_history", args=[draft.pk])
    ).content.decode()
    assert "新增共享单车乱停放事项" in history and "发布" in history
    assert f"第 {nantong.version} 版起草" in history  # the region's earlier versions too


def test_the_ticket_history_is_its_timeline(client, staff_user, reference_data):
    from apps.tickets.ingest import ingest

    (result,) = ingest(
        [
            {
                "external_id": "HIST-1",
                "region": "320600",
                "received_at": timezone.now(),
                "channel": "phone",
                "transfer_method": "one_key",
                "urgency": "general",
                "unit": Unit.objects.get(region__division_code="320600", name="市公安局").pk,
                "summary": "邻居家的狗半夜一直叫",
                "caller_phone": "",
                "needs_on_site": None,
                "restriction": "",
            }
        ],
        platform="12345",
    )
    client.force_login(staff_user)
    page = client.get(reverse("admin:tickets_ticket_history", args=[result.ticket.pk]))
    text = page.content.decode()
    assert "受理并派单" in text and "市公安局（南通市）" in text
    assert "此对象没有修改历史" not in text


def test_item_list_shows_the_lists_in_force_unless_asked(staff_client, nantong):
    draft = services.new_version(nantong)
    url = reverse("admin:diversion_diversionitem_changelist")
    shown = staff_client.get(url).context["cl"].result_count
    in_force = sum(dl.items.count() for dl in DiversionList.objects.in_force())
    assert shown == in_force
    drafts = staff_client.get(url, {"list_state": "draft"}).context["cl"]
    assert drafts.result_count == draft.items.count()
    one = staff_client.get(url, {"diversion_list__id__exact": draft.pk}).context["cl"]
    assert set(one.queryset.values_list("diversion_list", flat=True)) == {draft.pk}
    everything = staff_client.get(url, {"list_state": "all"}).context["cl"].result_count
    assert everything == in_force + draft.items.count()


def test_item_search_finds_what_the_caller_says(staff_client, nantong):
    url = reverse("admin:diversion_diversionitem_changelist")
    page = staff_client.get(url, {"q": "路灯晚上不亮"})
    found = page.context["cl"].queryset
    assert found.filter(subcategory="路灯故障", diversion_list=nantong).exists()
    assert not found.exclude(diversion_list__status="published").exists()
    assert staff_client.get(url, {"q": "H2P-011"}).context["cl"].result_count >= 1
