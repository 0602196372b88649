"""The directory's reference data in fixtures/: regions, then each region's member units,
through the importers staff use (``load_reference_data`` calls ``load``)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from .importers import import_regions, import_units
from .models import Region

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def region_of(path: Path) -> Region:
    """Reference files are named <division code>_<name>.csv."""
    code = path.name.split("_", 1)[0]
    try:
        return Region.objects.get(division_code=code)
    except Region.DoesNotExist:
        raise CommandError(f"{path.name}: no region with division code {code}") from None


def load(*, stdout) -> None:
    path = FIXTURES / "regions.csv"
    stdout.write(f"regions: {import_regions(path.read_bytes(), path.name)}")
    for path in sorted((FIXTURES / "units").glob("*.csv")):
        stdout.write(
            f"units {path.name}: {import_units(path.read_bytes(), path.name, region_of(path))}"
        )
