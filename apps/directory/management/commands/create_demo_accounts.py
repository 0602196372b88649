"""One demo account per role, plus example contacts for the demo liaison's unit."""

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.models import Platform
from apps.accounts.roles import Role
from apps.accounts.services import create_account
from apps.directory.models import Contact, ContactRole, Unit

DEMO_PASSWORD = "demo12345678"
DEMO_UNIT = ("320600", "市公安局")


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
        for role, name in (
            (ContactRole.LEADER, "演示领导（示例数据）"),
            (ContactRole.LIAISON, "演示联络员（示例数据）"),
        ):
            if not unit.contacts.current().filter(role=role).exists():
                Contact.objects.create(
                    unit=unit, role=role, name=name, position="示例", office_phone="0513-00000000"
                )
        self.stdout.write(
            self.style.SUCCESS("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
        )
        for user in accounts:
            role = user.groups.first().name
            extra = f" — {user.unit}" if user.unit else ""
            if user.platform:
                extra = f" — API token {user.auth_token.key}"
            self.stdout.write(f"  {user.username:<14} {role}{extra}")
