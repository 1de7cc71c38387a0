"""The care engine follows what happens to a resident in the register."""

from django.db.models import F
from django.dispatch import receiver

from gongwei.people.models import Status
from gongwei.people.signals import resident_died, resident_left, resident_transferred

from .models import Enrolment, EnrolmentStatus


@receiver(resident_died)
def close_enrolments_on_death(sender, resident, date, user, **kwargs):
    # Inside the death's transaction: the patient leaves every due list at once.
    Enrolment.objects.filter(resident=resident, status=EnrolmentStatus.MANAGED).update(
        status=EnrolmentStatus.DIED, closed_on=date, close_reason="死亡", next_due=None,
        window_end=None, version=F("version") + 1)


@receiver(resident_transferred)
def follow_the_resident(sender, resident, from_village, to_village, **kwargs):
    # Management moves with the patient; past visits stay with the unit that made them.
    Enrolment.objects.filter(resident=resident, status=EnrolmentStatus.MANAGED).update(
        village_id=to_village, version=F("version") + 1)


@receiver(resident_left)
def close_enrolments_on_leaving(sender, resident, status, date, **kwargs):
    # Moved out of the county → transferred out; lost to follow-up → lost (NORMS §2.1).
    ended = EnrolmentStatus.TRANSFERRED if status == Status.MOVED else EnrolmentStatus.LOST
    Enrolment.objects.filter(resident=resident, status=EnrolmentStatus.MANAGED).update(
        status=ended, closed_on=date, close_reason=resident.get_status_display(), next_due=None,
        window_end=None, version=F("version") + 1)
