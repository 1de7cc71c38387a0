"""Every write to the register is one ``do_*`` function: one transaction, one audit event.

Views parse and check access, then call these; they raise :class:`ActionError` with a
message for the user when the action cannot be done.
"""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.orgs.models import OrgUnit

from .derived import derive_fields, next_record_numbers
from .models import (HealthRecord, Household, HouseholdMembership, Resident, Status, Transfer)
from .signals import (resident_died, resident_left, resident_transferred, residents_merged,
                      residents_merging)

HEAD = "02"  # GB/T 4761 户主 (codes.RELATION_TO_HEAD)


class ActionError(Exception):
    pass


def _changes(before: dict, after: dict) -> list[str]:
    """Names of the fields that changed: the audit says what changed, not the values
    (the values are personal data and stay in the record itself)."""
    return sorted(k for k in after if before.get(k) != after[k])


@transaction.atomic
def do_create_resident(request, data: dict, health: dict | None = None,
                       household: Household | None = None) -> Resident:
    user = request.user
    resident = Resident(**data)
    [resident.record_number] = next_record_numbers(resident.village_id)
    resident.created_by = user
    resident.record_created = resident.record_created or timezone.localdate()
    derive_fields(resident)
    resident.save()
    HealthRecord.objects.create(resident=resident, village_id=resident.village_id, **(health or {}))
    if household is None:
        household = Household.objects.create(
            village_id=resident.village_id, number=resident.record_number,
            address=resident.address, head=resident)
        relation = HEAD
    else:
        relation = resident.relation_to_head or "99"
    _join(resident, household, relation, resident.record_created)
    audit(request, Action.CREATE, obj=resident, resident_id=resident.pk)
    return resident


def _join(resident: Resident, household: Household, relation: str, day: date) -> None:
    HouseholdMembership.objects.filter(resident=resident, left__isnull=True).update(left=day)
    HouseholdMembership.objects.create(household=household, resident=resident,
                                       village_id=household.village_id,
                                       relation_to_head=relation, joined=day)
    Resident.objects.filter(pk=resident.pk).update(household=household, relation_to_head=relation)
    resident.household, resident.relation_to_head = household, relation


@transaction.atomic
def do_update_resident(request, resident: Resident, data: dict, health: dict, version: int) -> Resident:
    """Save an edit made from version ``version``; refuse if someone saved in between."""
    before = {f: getattr(resident, f) for f in data}
    health_before = {f: getattr(resident.health_record, f) for f in health}
    for field, value in data.items():
        setattr(resident, field, value)
    derive_fields(resident)
    fields = list(data) + ["name_pinyin", "name_initials", "alt_pinyin", "alt_initials", "id_reversed"]
    values = {f: getattr(resident, f) for f in fields}
    updated = Resident.objects.filter(pk=resident.pk, version=version).update(
        **values, version=F("version") + 1)
    if not updated:
        raise ActionError(_("Someone else changed this record while you were editing it. "
                            "Your changes were not saved: reload the record and enter them again."))
    HealthRecord.objects.filter(pk=resident.pk).update(**health)
    resident.version = version + 1
    audit(request, Action.UPDATE, obj=resident, resident_id=resident.pk,
          detail={"fields": _changes(before, data) + _changes(health_before, health)})
    return resident


@transaction.atomic
def do_reveal_id(request, resident: Resident) -> str:
    audit(request, Action.SHOW_ID, obj=resident, resident_id=resident.pk)
    return resident.id_number or ""


@transaction.atomic
def do_transfer_resident(request, resident: Resident, to_village: OrgUnit, day: date,
                         reason: str = "") -> Transfer:
    """迁出/迁入 within the county: the record moves, the sender keeps reading what it wrote."""
    if to_village.kind != "village":
        raise ActionError(_("A resident moves to a village clinic's catchment."))
    if to_village.code == resident.village_id:
        raise ActionError(_("The resident already lives in this village."))
    if resident.status != Status.ACTIVE:
        raise ActionError(_("Only residents on the register can be transferred."))
    transfer = Transfer.objects.create(resident=resident, from_village_id=resident.village_id,
                                       to_village=to_village, date=day, reason=reason,
                                       by=request.user)
    old_village = resident.village_id
    Resident.objects.filter(pk=resident.pk).update(village=to_village, version=F("version") + 1)
    HealthRecord.objects.filter(pk=resident.pk).update(village=to_village)
    # The resident leaves the household in the old village; the receiving doctor places
    # them in a household of the new one.
    HouseholdMembership.objects.filter(resident=resident, left__isnull=True).update(left=day)
    Resident.objects.filter(pk=resident.pk).update(household=None, relation_to_head="")
    resident.village = to_village
    resident_transferred.send(sender=Resident, resident=resident, from_village=old_village,
                              to_village=to_village.code)
    audit(request, Action.TRANSFER, obj=resident, resident_id=resident.pk, record_unit=old_village,
          detail={"from": old_village, "to": to_village.code})
    return transfer


@transaction.atomic
def do_register_death(request, resident: Resident, day: date, cause: str) -> None:
    if resident.status == Status.DEAD:
        raise ActionError(_("This death is already registered."))
    if day < resident.birth_date:
        raise ActionError(_("The date of death is before the date of birth."))
    if day > timezone.localdate():
        raise ActionError(_("The date of death is in the future."))
    Resident.objects.filter(pk=resident.pk).update(
        status=Status.DEAD, status_date=day, death_cause=cause, version=F("version") + 1)
    resident.status, resident.status_date, resident.death_cause = Status.DEAD, day, cause
    resident_died.send(sender=Resident, resident=resident, date=day, user=request.user)
    audit(request, Action.DEATH, obj=resident, resident_id=resident.pk)


@transaction.atomic
def do_set_status(request, resident: Resident, status: str, day: date, note: str = "") -> None:
    """Moved out of the county (迁出, with destination) or lost to follow-up, or back on register."""
    if status not in (Status.MOVED, Status.LOST, Status.ACTIVE):
        raise ActionError(_("Use the death form to register a death."))
    Resident.objects.filter(pk=resident.pk).update(
        status=status, status_date=day, moved_to=note if status == Status.MOVED else "",
        version=F("version") + 1)
    resident.status = status
    if status in (Status.MOVED, Status.LOST):
        resident_left.send(sender=Resident, resident=resident, status=status, date=day)
    audit(request, Action.STATUS, obj=resident, resident_id=resident.pk, detail={"status": status})


@transaction.atomic
def do_move_household(request, resident: Resident, household: Household, relation: str,
                      day: date) -> None:
    if household.village_id != resident.village_id:
        raise ActionError(_("The household is in another village; transfer the resident first."))
    _join(resident, household, relation, day)
    audit(request, Action.UPDATE, obj=resident, resident_id=resident.pk,
          detail={"household": household.pk})


@transaction.atomic
def do_merge(request, survivor: Resident, duplicate: Resident, reason: str) -> dict:
    """Merge ``duplicate`` into ``survivor``: every record pointing at the duplicate moves.

    The duplicate row stays, marked merged with a pointer to the survivor, so the merge can be
    explained later; the audit event lists what moved.
    """
    if survivor.pk == duplicate.pk:
        raise ActionError(_("A record cannot be merged into itself."))
    if Status.MERGED in (survivor.status, duplicate.status):
        raise ActionError(_("One of the two records has already been merged."))
    if survivor.id_number and duplicate.id_number and survivor.id_number != duplicate.id_number:
        raise ActionError(_("The two records have different ID numbers: they are two people."))
    residents_merging.send(sender=Resident, survivor=survivor, duplicate=duplicate, user=request.user)
    moved: dict[str, int] = {}
    # Every relation to Resident, including those of programmes added later, without this
    # module having to know them.
    for rel in Resident._meta.related_objects:
        if rel.one_to_one or not rel.field.concrete or rel.related_model is Resident:
            continue
        if rel.related_model is HouseholdMembership:
            continue
        count = rel.related_model._base_manager.filter(**{rel.field.name: duplicate}).update(
            **{rel.field.name: survivor})
        if count:
            moved[rel.related_model._meta.label] = count
    HouseholdMembership.objects.filter(resident=duplicate, left__isnull=True).update(left=timezone.localdate())
    if not survivor.id_number and duplicate.id_number:
        number = duplicate.id_number
        Resident.objects.filter(pk=duplicate.pk).update(id_number=None, id_reversed=None)
        Resident.objects.filter(pk=survivor.pk).update(id_number=number, id_reversed=number[::-1],
                                                       document_type=duplicate.document_type)
        moved["id_number"] = 1
    Resident.objects.filter(pk=duplicate.pk).update(
        status=Status.MERGED, status_date=timezone.localdate(), merged_into=survivor, household=None,
        version=F("version") + 1)
    residents_merged.send(sender=Resident, survivor=survivor, duplicate=duplicate, user=request.user)
    audit(request, Action.MERGE, obj=survivor, resident_id=survivor.pk,
          detail={"duplicate": duplicate.pk, "reason": reason, "moved": moved})
    audit(request, Action.MERGE, obj=duplicate, resident_id=duplicate.pk,
          detail={"merged_into": survivor.pk, "reason": reason})
    return moved
