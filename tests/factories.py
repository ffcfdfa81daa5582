"""Synthetic test data (Faker en_GB). Never real people."""

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from complexcases.organisation.models import ProbationDeliveryUnit, Region, Team, User

TEST_PASSWORD = "correct-horse-battery-staple"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n:03d}")
    name = factory.Sequence(lambda n: f"Region {n}")


class ProbationDeliveryUnitFactory(DjangoModelFactory):
    class Meta:
        model = ProbationDeliveryUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PDU{n:03d}")
    name = factory.Sequence(lambda n: f"Delivery unit {n}")
    region = factory.SubFactory(RegionFactory)


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    pdu = factory.SubFactory(ProbationDeliveryUnitFactory)


class UserFactory(DjangoModelFactory):
    """A member of staff who can sign in; pass roles=[Role.X, ...] to put them in Groups."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.Sequence(lambda n: f"staff{n}@example.com")
    staff_code = factory.Sequence(lambda n: f"T{n:06d}")
    pdu = factory.SubFactory(ProbationDeliveryUnitFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
            missing = set(extracted) - set(self.groups.values_list("name", flat=True))
            assert not missing, f"Unknown roles {missing}"
        self.save()
