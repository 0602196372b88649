"""Load the reference data in fixtures/ through the same importers staff use.

Each app loads its own, in its ``reference_data.load`` (directory: regions and units;
diversion: the published lists), in the order of INSTALLED_APPS: core knows none of them.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from apps.core.tabular import ImportRejected


def reference_loaders():
    """Each installed app's ``reference_data`` module, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        name = f"{config.name}.reference_data"
        try:
            yield import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


class Command(BaseCommand):
    help = (
        "Load regions, member units and the published diversion lists from fixtures/ "
        "(idempotent: a list already loaded for its document number is left alone)."
    )

    def handle(self, *args, **options):
        try:
            for module in reference_loaders():
                module.load(stdout=self.stdout)
        except ImportRejected as exc:
            raise CommandError("\n".join(str(e) for e in exc.errors)) from exc
