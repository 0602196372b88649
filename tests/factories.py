import factory
from django.contrib.auth.models import Group

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.directory.models import Contact, ContactRole, Region, RegionLevel, Unit
from apps.diversion.services import next_version_number


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("division_code",)

    name = "南通市"
    division_code = "320600"
    level = RegionLevel.CITY


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"测试单位{n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    unit = factory.SubFactory(UnitFactory)
    role = ContactRole.OFFICER
    name = factory.Sequence(lambda n: f"联系人{n}")
    mobile = "13812345678"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=Role(extracted).value))


class DiversionListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "diversion.DiversionList"

    region = factory.SubFactory(RegionFactory)
    title = "分流转办事项清单"
    version = factory.LazyAttribute(lambda o: next_version_number(o.region))


class DiversionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "diversion.DiversionItem"

    diversion_list = factory.SubFactory(DiversionListFactory)
    item_code = factory.Sequence(lambda n: f"H2P-{n + 1:03d}")
    direction = "hotline_to_police"
    category = "社会治安类"
    subcategory = factory.Sequence(lambda n: f"细类{n}")
    matter = factory.Sequence(lambda n: f"事项{n}")
    order = factory.Sequence(lambda n: n)


class AssessmentSchemeFactory(factory.django.DjangoModelFactory):
    """A scheme weighted as the seeded default; give ``effective_from``."""

    class Meta:
        model = "reports.AssessmentScheme"

    name = factory.Sequence(lambda n: f"考核方案{n}")
    response_weight = 30
    resolution_weight = 35
    satisfaction_weight = 35
    basically_satisfied_percent = 90
