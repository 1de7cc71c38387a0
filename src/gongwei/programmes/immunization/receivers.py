"""The programme follows what happens to a child in the register (people.signals)."""

from django.dispatch import receiver
from django.utils import timezone

from gongwei.people.signals import resident_died, resident_left, resident_transferred, residents_merged

from .models import DoseRecord, NextDose, VaccinationCard


@receiver(resident_transferred)
def the_card_follows_the_child(sender, resident, from_village, to_village, **kwargs):
    # The certificate and its history go with the child (NORMS §3.2: the receiving clinic
    # continues the schedule); the care engine moves the enrolment. Reports of adverse
    # events stay with the unit that made them.
    VaccinationCard.objects.filter(resident=resident).update(village_id=to_village)
    NextDose.objects.filter(card__resident=resident).update(village_id=to_village)
    DoseRecord.objects.filter(resident=resident).update(village_id=to_village)


@receiver(resident_died)
def no_more_doses_due(sender, resident, date, user, **kwargs):
    # The engine closes the enrolment in the same transaction; the child leaves the lists.
    NextDose.objects.filter(card__resident=resident).delete()
    VaccinationCard.objects.filter(resident=resident).update(refresh_on=None)


@receiver(resident_left)
def off_the_lists_when_leaving(sender, resident, status, date, **kwargs):
    # Moved out of the county or lost: the engine ends the management in the same
    # transaction; the card stays, and can be reopened if the child comes back.
    NextDose.objects.filter(card__resident=resident).delete()
    VaccinationCard.objects.filter(resident=resident).update(refresh_on=None)


@receiver(residents_merged)
def one_history_after_a_merge(sender, survivor, duplicate, user, **kwargs):
    # people.do_merge has moved the doses (and the enrolment) to the survivor; the card is
    # one-to-one and stays unless the survivor has none. Then the survivor's whole history is
    # judged again and its schedule recomputed.
    from .actions import recompute

    card = VaccinationCard.objects.filter(resident=survivor).first()
    # The duplicate's own card, if it keeps one, is off the lists (its record is merged).
    NextDose.objects.filter(card__resident=duplicate).delete()
    if card is None:
        card = VaccinationCard.objects.filter(resident=duplicate).first()
        if card is None:
            return
        VaccinationCard.objects.filter(pk=card.pk).update(resident=survivor, village_id=survivor.village_id)
        NextDose.objects.filter(card=card).update(village_id=survivor.village_id)
        card.refresh_from_db()
    DoseRecord.objects.filter(resident=survivor).update(village_id=survivor.village_id)
    recompute(card, timezone.localdate())
