"""Load the reference data in fixtures/ through the same importers staff use."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.tabular import ImportRejected
from apps.directory.importers import import_regions, import_units
from apps.directory.models import Region

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def region_of(path: Path) -> Region:
    """Reference files are named <division code>_<name>.csv."""
    code = path.name.split("_", 1)[0]
    try:
        return Region.objects.get(division_code=code)
    except Region.DoesNotExist:
        raise CommandError(f"{path.name}: no region with division code {code}") from None


class Command(BaseCommand):
    help = "Load regions and member units from fixtures/ (idempotent)."

    def handle(self, *args, **options):
        try:
            path = FIXTURES / "regions.csv"
            n = import_regions(path.read_bytes(), path.name)
            self.stdout.write(f"regions: {n}")
            for path in sorted((FIXTURES / "units").glob("*.csv")):
                n = import_units(path.read_bytes(), path.name, region_of(path))
                self.stdout.write(f"units {path.name}: {n}")
        except ImportRejected as exc:
            raise CommandError("\n".join(str(e) for e in exc.errors)) from exc
