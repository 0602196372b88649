from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.core.tabular import ImportRejected
from apps.directory.models import Region
from apps.diversion import services


class Command(BaseCommand):
    help = (
        "Import a diversion list (.xlsx or .csv) as a new draft version of a region's "
        "list, optionally publishing it. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--region", required=True, help="6-digit division code")
        parser.add_argument("--title", help="defaults to the current version's title")
        parser.add_argument("--document-number", default="")
        parser.add_argument("--publish", action="store_true")
        parser.add_argument(
            "--effective-from",
            type=datetime.fromisoformat,
            help="YYYY-MM-DD[THH:MM] (Asia/Shanghai) when publishing; default now",
        )

    def handle(
        self, *args, file, region, title, document_number, publish, effective_from, **options
    ):
        try:
            region_obj = Region.objects.get(division_code=region)
        except Region.DoesNotExist:
            raise CommandError(f"No region with division code {region}") from None
        if effective_from and timezone.is_naive(effective_from):
            effective_from = timezone.make_aware(effective_from)
        try:
            diversion_list = services.import_new_version(
                region_obj,
                file.read_bytes(),
                file.name,
                title=title,
                document_number=document_number,
                publish_now=publish,
                effective_from=effective_from,
            )
        except ImportRejected as exc:
            raise CommandError("\n".join(str(e) for e in exc.errors)) from exc
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"{diversion_list}: {diversion_list.items.count()} items")
        )
