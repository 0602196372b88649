"""Load the reference data in fixtures/ through the same importers staff use."""

from datetime import date, datetime, time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.core.tabular import ImportRejected, read_table
from apps.directory.importers import import_regions, import_units
from apps.directory.models import Region
from apps.diversion.models import DiversionList
from apps.diversion.services import import_new_version

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def region_of(path: Path) -> Region:
    """Reference files are named <division code>_<name>.csv."""
    code = path.name.split("_", 1)[0]
    try:
        return Region.objects.get(division_code=code)
    except Region.DoesNotExist:
        raise CommandError(f"{path.name}: no region with division code {code}") from None


class Command(BaseCommand):
    help = (
        "Load regions, member units and the published diversion lists from fixtures/ "
        "(idempotent: a list already loaded for its document number is left alone)."
    )

    def handle(self, *args, **options):
        try:
            path = FIXTURES / "regions.csv"
            n = import_regions(path.read_bytes(), path.name)
            self.stdout.write(f"regions: {n}")
            for path in sorted((FIXTURES / "units").glob("*.csv")):
                n = import_units(path.read_bytes(), path.name, region_of(path))
                self.stdout.write(f"units {path.name}: {n}")
            self.load_diversion_lists()
        except ImportRejected as exc:
            raise CommandError("\n".join(str(e) for e in exc.errors)) from exc

    def load_diversion_lists(self):
        manifest = FIXTURES / "diversion" / "lists.csv"
        table = read_table(
            manifest.read_bytes(),
            manifest.name,
            ["文件", "行政区划代码", "标题", "文号", "生效日期"],
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
            self.stdout.write(f"diversion list {path.name}: {diversion_list.items.count()} items")
