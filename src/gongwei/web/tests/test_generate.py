import io

from django.core.management import call_command

from gongwei.care.models import Enrolment
from gongwei.people.models import Resident


def test_population_only_makes_residents_and_no_programme_records(db):
    call_command("generate", residents=500, population_only=True, stdout=io.StringIO())
    assert Resident.objects.count() == 500
    assert not Enrolment.objects.exists()
