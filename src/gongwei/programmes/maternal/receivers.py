"""The maternal programme follows what happens to the woman in the register."""

from django.dispatch import receiver

from gongwei.care.models import EnrolmentStatus
from gongwei.people.signals import resident_died, resident_transferred

from .models import HighRiskCase, Pregnancy


@receiver(resident_transferred)
def follow_the_woman(sender, resident, from_village, to_village, **kwargs):
    # Like the enrolment (care.receivers): the open pregnancy and its case move with her; the
    # visits, assessments and results stay with the unit that recorded them.
    open_pregnancies = Pregnancy.objects.filter(resident=resident, enrolment__status=EnrolmentStatus.MANAGED)
    HighRiskCase.objects.filter(pregnancy__in=open_pregnancies, closed_on__isnull=True).update(village_id=to_village)
    Pregnancy.objects.filter(pk__in=list(open_pregnancies.values_list("pk", flat=True))).update(village_id=to_village)


@receiver(resident_died)
def close_the_case(sender, resident, date, user, **kwargs):
    # Inside the death's transaction; care.receivers closes the enrolment itself.
    HighRiskCase.objects.filter(pregnancy__resident=resident, closed_on__isnull=True).update(
        closed_on=date, close_reason="死亡")
