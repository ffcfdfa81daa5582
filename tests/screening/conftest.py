import pytest

from complexcases.organisation.models import ProbationDeliveryUnit
from tests.factories import ProbationDeliveryUnitFactory, RegionFactory


@pytest.fixture
def pdus(db) -> dict[str, ProbationDeliveryUnit]:
    """The four East of England PDUs of the pilot."""
    region = RegionFactory(code="EOE", name="East of England")
    return {
        code: ProbationDeliveryUnitFactory(code=code, name=name, region=region)
        for code, name in [
            ("NORTHANTS", "Northamptonshire"),
            ("CAMBS", "Cambridgeshire and Peterborough"),
            ("ESSEXN", "Essex North"),
            ("ESSEXS", "Essex South"),
        ]
    }
