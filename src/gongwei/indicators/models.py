from django.db import models
from django.utils.translation import gettext_lazy as _

from gongwei.orgs.access import ScopedQuerySet
from gongwei.orgs.models import OrgUnit


class IndicatorValue(models.Model):
    """One computed figure: (indicator, unit, period) → numerator and denominator.

    Villages are computed from the records; townships and the county are the sums of their
    villages, so every level adds up (ARCHITECTURE.md idea 3).
    """

    indicator = models.CharField(_("indicator"), max_length=40)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, db_column="unit_code", related_name="+")
    period_kind = models.CharField(max_length=8)
    period_start = models.DateField()
    period_end = models.DateField()
    numerator = models.DecimalField(max_digits=14, decimal_places=4)
    denominator = models.DecimalField(max_digits=14, decimal_places=4)
    computed_at = models.DateTimeField(auto_now=True)

    scope_field = "unit_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "unit", "period_kind", "period_start"],
                                               name="one_value_per_indicator_unit_period")]
        indexes = [models.Index(fields=["period_kind", "period_start", "indicator"])]


class Target(models.Model):
    """A year's target for one indicator and one unit, with how it is paced through the year.

    The county sets its townships' targets; a township breaks its own down to its villages.
    """

    class Pacing(models.TextChoices):
        FLAT = "flat", _("Holds all year")
        EVEN = "even", _("Evenly by month")
        QUARTERLY = "quarterly", _("By quarter")
        CUSTOM = "custom", _("Custom shares")

    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=40)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, db_column="unit_code", related_name="+")
    value = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    pacing = models.CharField(_("pacing"), max_length=10, choices=Pacing.choices, default=Pacing.EVEN)
    shares = models.JSONField(_("custom shares"), default=list, blank=True)
    set_by = models.ForeignKey("orgs.User", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "indicator", "unit"], name="one_target_per_unit_year")]
