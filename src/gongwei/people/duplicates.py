"""Likely duplicates among records of the user's scope (issue: no duplicates).

Two kinds, both one GROUP BY over indexed columns:
- the same name and birth date (in any village of the scope): the classic second record
  made when someone came without their ID card;
- the same pinyin and birth date but different characters (张三 / 章三): a homophone typed
  by a different doctor.
Pairs where both records carry different ID numbers are two people and are left out.
"""

from dataclasses import dataclass

from django.db.models import Count

from .models import Resident, Status

LIMIT = 200


@dataclass
class Pair:
    a: Resident
    b: Resident
    reason: str  # "same_name" or "same_pinyin"


def likely_duplicates(user, limit: int = LIMIT) -> list[Pair]:
    live = Resident.objects.for_user(user).exclude(status=Status.MERGED)
    pairs: list[Pair] = []
    for key, reason in ((("name", "birth_date"), "same_name"),
                        (("name_pinyin", "birth_date"), "same_pinyin")):
        groups = (live.values(*key).annotate(n=Count("id")).filter(n__gt=1)
                  .order_by(*key)[:limit])
        for group in groups:
            members = list(live.filter(**{k: group[k] for k in key})
                           .select_related("village").order_by("id")[:5])
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    if a.id_number and b.id_number and a.id_number != b.id_number:
                        continue
                    if reason == "same_pinyin" and a.name == b.name:
                        continue  # already listed as same name
                    pairs.append(Pair(a, b, reason))
    return pairs[:limit]
