"""make demo's accounts and example contacts."""

import io

from django.core.management import call_command

from apps.accounts.models import User
from apps.directory.models import Contact, ContactRole, Unit


def run():
    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    return out.getvalue()


def test_every_unit_has_a_leader_and_a_liaison_and_accounts_name_their_region(reference_data):
    printed = run()
    current = Contact.objects.current()
    for role in (ContactRole.LEADER, ContactRole.LIAISON):
        assert set(current.filter(role=role).values_list("unit_id", flat=True)) == set(
            Unit.objects.active().values_list("pk", flat=True)
        )
    assert current.filter(name__contains="示例数据").count() == 2 * Unit.objects.active().count()
    assert "市公安局（南通市）" in printed and "市公安局（晋城市）" in printed
    assert User.objects.filter(username__startswith="liaison").count() == 3
    assert "example contacts: 0" in run()  # a second run adds nobody
