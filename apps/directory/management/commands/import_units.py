from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.tabular import ImportRejected
from apps.directory.importers import import_units
from apps.directory.models import Region


class Command(BaseCommand):
    help = "Create or update the member units of a region from an .xlsx or .csv file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--region", required=True, help="6-digit division code")

    def handle(self, *args, file, region, **options):
        try:
            region_obj = Region.objects.get(division_code=region)
        except Region.DoesNotExist:
            raise CommandError(f"No region with division code {region}") from None
        try:
            n = import_units(file.read_bytes(), file.name, region_obj)
        except ImportRejected as exc:
            raise CommandError("\n".join(str(e) for e in exc.errors)) from exc
        self.stdout.write(self.style.SUCCESS(f"{n} units imported into {region_obj}"))
