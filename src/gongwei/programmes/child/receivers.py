"""The child programme follows what happens to a child in the register."""

from django.dispatch import receiver

from gongwei.care.models import EnrolmentStatus
from gongwei.people.signals import resident_transferred

from .models import WeakChildCase


@receiver(resident_transferred)
def weak_case_follows_the_child(sender, resident, from_village, to_village, **kwargs):
    # The care engine moves the enrolment; the open case moves with it (past follow-ups stay
    # with the unit that made them, as visits do). A death needs nothing here: the engine
    # closes the enrolment, and with it the case (WeakChildCase.is_open).
    WeakChildCase.objects.filter(resident=resident, enrolment__status=EnrolmentStatus.MANAGED).update(
        village_id=to_village)
