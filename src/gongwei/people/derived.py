"""Columns derived from what the user typed: search keys, reversed ID, record numbers."""

from django.db import transaction
from django.db.models import F

from .models import RecordSerial, Resident
from .namekeys import name_keys


def derive_fields(resident: Resident) -> Resident:
    """Set the search columns of ``resident`` from its name and ID number."""
    keys = name_keys(resident.name)
    resident.name_pinyin = keys.full[:120]
    resident.name_initials = keys.initials[:30]
    # The first alternative is the other reading of the surname (单 shan → dan), which is
    # what a searcher types when they do not know the surname reading.
    alt_full = next((k for k in keys.alternatives if len(k) > len(keys.initials)), "")
    alt_initials = next((k for k in keys.alternatives if len(k) <= len(keys.initials)), "")
    resident.alt_pinyin = alt_full[:120]
    resident.alt_initials = alt_initials[:30]
    resident.id_reversed = resident.id_number[::-1] if resident.id_number else None
    return resident


def next_record_numbers(village_code: str, count: int = 1) -> list[str]:
    """Reserve ``count`` record numbers of the village: code + 5-digit serial (NORMS §6.3)."""
    with transaction.atomic():
        RecordSerial.objects.get_or_create(village_id=village_code)
        RecordSerial.objects.filter(village_id=village_code).update(last=F("last") + count)
        last = RecordSerial.objects.get(village_id=village_code).last
    if last > 99999:
        raise ValueError(f"village {village_code} has used all 99999 record serials")
    return [f"{village_code}{n:05d}" for n in range(last - count + 1, last + 1)]
