"""Demo accounts (one per role, and a liaison for a few more units), and example
contacts — a leader and a liaison, marked 示例数据 — for every unit without them, so
that the directory is filled and notices have someone to reach."""

from django.core.management.base import BaseCommand
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from apps.accounts.models import Platform
from apps.accounts.roles import Role
from apps.accounts.services import create_account
from apps.directory.models import Contact, ContactRole, Unit

DEMO_PASSWORD = "demo12345678"
DEMO_UNIT = ("320600", "市公安局")
# More liaison accounts, each for a unit of another region: (division code, unit name).
EXTRA_LIAISONS = [("140500", "市公安局"), ("450700", "市公安局")]


class Command(BaseCommand):
    help = "Create demo accounts (one per role) and print their usernames and passwords."

    @transaction.atomic
    def handle(self, *args, **options):
        unit = Unit.objects.get(region__division_code=DEMO_UNIT[0], name=DEMO_UNIT[1])
        accounts = [
            create_account(
                "staff", DEMO_PASSWORD, Role.STAFF, first_name="指挥中心", email="staff@example.com"
            ),
            create_account(
                "liaison",
                DEMO_PASSWORD,
                Role.LIAISON,
                unit=unit,
                first_name="演示联络员",
                email="liaison@example.com",
            ),
            create_account("leader", DEMO_PASSWORD, Role.LEADERSHIP, first_name="分管领导"),
            create_account(
                "platform12345", DEMO_PASSWORD, Role.PLATFORM, platform=Platform.HOTLINE
            ),
            create_account("platform110", DEMO_PASSWORD, Role.PLATFORM, platform=Platform.POLICE),
        ]
        for code, name in EXTRA_LIAISONS:
            other = Unit.objects.filter(region__division_code=code, name=name).first()
            if other is not None:
                accounts.append(
                    create_account(
                        f"liaison{code}",
                        DEMO_PASSWORD,
                        Role.LIAISON,
                        unit=other,
                        first_name="演示联络员",
                        email=f"liaison{code}@example.com",
                    )
                )
        self.example_contacts()
        self.stdout.write(
            self.style.SUCCESS("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
        )
        for user in accounts:
            role = user.groups.first().name
            extra = f" — {user.unit}" if user.unit else ""
            if user.platform:
                extra = f" — API token {user.auth_token.key}"
            self.stdout.write(f"  {user.username:<14} {role}{extra}")

    def example_contacts(self):
        """A leader and a liaison for each active unit lacking one (示例数据)."""
        have = set(
            Contact.objects.current()
            .filter(role__in=[ContactRole.LEADER, ContactRole.LIAISON])
            .values_list("unit_id", "role")
        )
        contacts = [
            Contact(
                unit=unit,
                role=role,
                name=f"{label}（示例数据）",
                position="示例",
                office_phone="0000-00000000",
                email=f"{role}{unit.pk}@example.com",
            )
            for unit in Unit.objects.active()
            for role, label in ((ContactRole.LEADER, "分管领导"), (ContactRole.LIAISON, "联络员"))
            if (unit.pk, role) not in have
        ]
        bulk_create_with_history(contacts, Contact, default_change_reason="示例数据")
        self.stdout.write(f"  example contacts: {len(contacts)}")
