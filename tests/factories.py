import factory
from django.contrib.auth.models import Group

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.directory.models import Contact, ContactRole, Region, RegionLevel, Unit


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
