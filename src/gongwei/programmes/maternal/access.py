"""Who sees PMTCT results, and how risk grades are shown to everyone else.

PMTCT (预防艾滋病、梅毒和乙肝母婴传播) results — HIV, syphilis, hepatitis B — are readable by the
township and county MCH officers only (and the system administrator / superuser). Everyone
else in scope sees the pregnancy, its visits and its risk grade, but never those results, nor
anything that would give them away:

* the risk conditions that come from them (``PMTCT_CONDITIONS``) are left out of what a
  non-MCH user sees, and so is the purple flag they raise (``Pregnancy.pmtct_purple``);
* a high-risk case opened for a PMTCT result alone (``HighRiskCase.pmtct_only``) is not shown.

Every time results are shown, an audit event (action "view", object_type "pmtct") is written.
"""

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.orgs.models import Role

from . import rules

PMTCT_ROLES = frozenset({Role.TOWNSHIP_MCH, Role.COUNTY_MCH, Role.SYSADMIN})
# The MCH officers manage high-risk cases; the county one reviews maternal deaths.
MCH_ROLES = PMTCT_ROLES
REVIEW_ROLES = frozenset({Role.COUNTY_MCH, Role.SYSADMIN})
DEATH_LIST_ROLES = frozenset({Role.TOWNSHIP_MCH, Role.COUNTY_MCH, Role.TOWNSHIP_DIRECTOR,
                              Role.COUNTY_ADMIN, Role.SYSADMIN})

# Risk conditions (rules.DEFAULT_RISK_TABLE codes) that a positive PMTCT result sets. Decision:
# a positive HBsAg is "viral hepatitis" of the supplement's purple list.
PMTCT_CONDITIONS = frozenset({"hiv", "syphilis", "viral_hepatitis"})
# Conditions derived from measurements, never ticked by hand (rules.conditions_from_measures).
AGE_CONDITIONS = frozenset({"age_35_or_over", "age_18_or_under", "age_40_or_over"})
BMI_CONDITIONS = frozenset({"underweight", "overweight", "bmi_28_or_over"})
DERIVED_CONDITIONS = AGE_CONDITIONS | BMI_CONDITIONS


def sees_pmtct(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.role in PMTCT_ROLES)


def visible_conditions(conditions, user) -> list[str]:
    if sees_pmtct(user):
        return list(conditions)
    return [c for c in conditions if c not in PMTCT_CONDITIONS]


def condition_labels(conditions, user) -> list[str]:
    table = rules.DEFAULT_RISK_TABLE
    return [table[c].label if c in table else c for c in visible_conditions(conditions, user)]


def shows_pmtct(conditions) -> bool:
    return any(c in PMTCT_CONDITIONS for c in conditions)


def purple_for(obj, user) -> bool:
    """The purple flag of a Pregnancy or RiskAssessment as ``user`` may see it."""
    return obj.purple or (obj.pmtct_purple and sees_pmtct(user))


def case_visible(case, user) -> bool:
    return case is not None and (sees_pmtct(user) or not case.pmtct_only)


def record_view(request_or_user, pregnancy, what: str) -> None:
    """The audit event of every display of PMTCT results (or of what they set: conditions, purple)."""
    audit(request_or_user, Action.VIEW, object_type="pmtct", object_id=pregnancy.pk,
          resident_id=pregnancy.resident_id, record_unit=pregnancy.village_id, detail={"shown": what})


def note_purple_shown(request_or_user, pregnancies, where: str) -> None:
    """Audit the display of a purple flag that comes from a PMTCT result (to MCH staff only)."""
    user = getattr(request_or_user, "user", request_or_user)
    if not sees_pmtct(user):
        return
    for p in pregnancies:
        if p.pmtct_purple and not p.purple:
            record_view(request_or_user, p, where)


def screenings_for(user, pregnancy=None):
    """InfectionScreening rows ``user`` may read: none unless an MCH officer, and in scope."""
    from .models import InfectionScreening

    if not sees_pmtct(user):
        return InfectionScreening.objects.none()
    qs = InfectionScreening.objects.for_user(user)
    return qs.filter(pregnancy=pregnancy) if pregnancy is not None else qs
