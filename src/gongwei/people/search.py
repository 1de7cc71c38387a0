"""One search box: ID number (full or last digits), Chinese name, pinyin or initials, phone.

Every kind of query becomes index range predicates (ARCHITECTURE.md idea 1) inside the
user's scope, so a search costs about the same at 5,000 or 500,000 residents.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from gongwei.orgs.models import OrgUnit

from . import idnumber
from .models import Resident, Status

MIN_DIGITS = 4  # fewer digits match too many people to be a search
_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass
class SearchResult:
    kind: str  # id, id_last, phone, name, pinyin, too_short, empty
    rows: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def text_prefix(field: str, prefix: str) -> Q:
    """``field`` starts with ``prefix``, as a form the database answers from an index.

    PostgreSQL: LIKE 'x%' uses the pattern-ops index Django creates for indexed text columns.
    SQLite: its LIKE is case-insensitive and skips indexes, so use the range
    [prefix, prefix with its last character incremented).
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": prefix})
    bound = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": bound})


def normalize(query: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", query or ""))


def classify(query: str) -> tuple[str, Q | None, Q | None]:
    """(kind, filter, exact-match filter for ranking) for a normalized query."""
    q = query
    if not q:
        return "empty", None, None
    upper = q.upper()
    if re.fullmatch(r"\d{17}[\dX]|\d{15}", upper):
        number = idnumber.upgrade_15(upper) if len(upper) == 15 else upper
        return "id", Q(id_number=number), Q(id_number=number)
    if upper.isdigit() or re.fullmatch(r"\d+X", upper):
        if len(upper) < MIN_DIGITS:
            return "too_short", None, None
        if re.fullmatch(r"1[3-9]\d{9}", upper):
            return "phone", Q(phone=upper) | Q(contact_phone=upper), Q(phone=upper)
        # Last digits of an ID number (the ID reversed is a prefix), or the start of a phone.
        return ("id_last", text_prefix("id_reversed", upper[::-1]) | text_prefix("phone", upper),
                text_prefix("id_reversed", upper[::-1]))
    if _HAN.search(q):
        return "name", text_prefix("name", q), Q(name=q)
    if re.fullmatch(r"[A-Za-z]+", q):
        p = q.lower()
        cond = (text_prefix("name_initials", p) | text_prefix("name_pinyin", p)
                | text_prefix("alt_initials", p) | text_prefix("alt_pinyin", p))
        return "pinyin", cond, Q(name_initials=p) | Q(name_pinyin=p)
    return "name", text_prefix("name", q), Q(name=q)


def search_residents(user, query: str, page: int = 1, per_page: int = 20) -> SearchResult:
    kind, cond, exact = classify(normalize(query))
    if cond is None:
        return SearchResult(kind, [], 0, 1, per_page)
    # On SQLite the scope must not be index-answerable, or the planner walks the township's
    # range instead of the search column's index (see ScopedQuerySet.for_user). PostgreSQL
    # plans well either way with its statistics.
    by_expression = connection.vendor == "sqlite"
    base = Resident.objects.for_user(user, by_expression=by_expression).filter(cond).exclude(status=Status.MERGED)
    total = base.count()
    page = max(1, min(page, max(1, -(-total // per_page))))
    ranked = base.annotate(
        exact=Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField()),
        inactive=Case(When(status=Status.ACTIVE, then=Value(0)), default=Value(1),
                      output_field=IntegerField()),
    ).order_by("exact", "inactive", "name", "birth_date", "id")
    start = (page - 1) * per_page
    # The page's villages are fetched apart: joining them here makes the planner walk whole
    # villages again.
    rows = list(ranked[start:start + per_page])
    villages = OrgUnit.objects.in_bulk({r.village_id for r in rows})
    for r in rows:
        r.village = villages[r.village_id]
    return SearchResult(kind, rows, total, page, per_page)
