"""The published diversion lists in fixtures/diversion/, imported and published as
staff would (``load_reference_data`` calls ``load``). A list already loaded for its
document number is left alone."""

from datetime import date, datetime, time

from django.utils import timezone

from apps.core.tabular import read_table
from apps.directory.models import Region
from apps.directory.reference_data import FIXTURES

from .models import DiversionList
from .services import import_new_version


def load(*, stdout) -> None:
    manifest = FIXTURES / "diversion" / "lists.csv"
    table = read_table(
        manifest.read_bytes(), manifest.name, ["文件", "行政区划代码", "标题", "文号", "生效日期"]
    )
    for _row, entry in table.rows:
        region = Region.objects.get(division_code=entry["行政区划代码"])
        if DiversionList.objects.filter(region=region, document_number=entry["文号"]).exists():
            continue
        path = FIXTURES / "diversion" / entry["文件"]
        effective_from = timezone.make_aware(
            datetime.combine(date.fromisoformat(entry["生效日期"]), time.min)
        )
        diversion_list = import_new_version(
            region,
            path.read_bytes(),
            path.name,
            title=entry["标题"],
            document_number=entry["文号"],
            publish_now=True,
            effective_from=effective_from,
        )
        stdout.write(f"diversion list {path.name}: {diversion_list.items.count()} items")
