"""The care engine follows what happens to a resident in the register."""

from django.db.models import F
from django.utils import timezone
from django.dispatch import receiver

from gongwei.people.models import Status
from gongwei.people.signals import resident_died, resident_left, resident_transferred, residents_merging

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


@receiver(residents_merging)
def end_duplicate_management(sender, survivor, duplicate, **kwargs):
    # One person is managed once per programme: the duplicate record's management ends where
    # the survivor is already managed; its visits still move to the survivor with the merge.
    both = Enrolment.objects.filter(resident=survivor, status=EnrolmentStatus.MANAGED).values("programme")
    Enrolment.objects.filter(resident=duplicate, status=EnrolmentStatus.MANAGED, programme__in=both).update(
        status=EnrolmentStatus.CLOSED, closed_on=timezone.localdate(), close_reason="合并重复档案",
        next_due=None, window_end=None, version=F("version") + 1)
