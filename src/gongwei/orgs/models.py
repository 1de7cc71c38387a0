from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import codes
from .access import ScopedQuerySet


class OrgUnit(models.Model):
    """A county, township health centre, village clinic, school or kindergarten.

    The primary key is the statistical code (NORMS §6.5), so every row that points at a unit
    carries the code itself and "everything under township X" is an index range.
    """

    class Kind(models.TextChoices):
        COUNTY = codes.COUNTY, _("County")
        TOWNSHIP = codes.TOWNSHIP, _("Township health centre")
        VILLAGE = codes.VILLAGE, _("Village clinic")
        SCHOOL = codes.SCHOOL, _("School")
        KINDERGARTEN = codes.KINDERGARTEN, _("Kindergarten")

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        db_column="parent_code", verbose_name=_("parent unit"),
    )
    # NBS urban-rural classification code (城乡分类代码, NORMS §6.5), published with each
    # village; 220 = 村庄.
    urban_rural = models.CharField(_("urban-rural class"), max_length=3, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)

    scope_field = "code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def clean(self):
        errors = codes.check_code(self.code or "", self.kind, self.parent_id)
        if self.parent_id and not errors:
            parent_kind = OrgUnit.objects.filter(code=self.parent_id).values_list("kind", flat=True).first()
            if parent_kind != codes.PARENT_KIND[self.kind]:
                errors.append(codes.CodeError(
                    "parent", "上级机构的类型不对：村卫生室、学校和幼儿园属于乡镇卫生院，乡镇卫生院属于县。",
                    "Wrong parent kind: villages, schools and kindergartens belong to a township, "
                    "townships to a county.",
                ))
        if errors:
            english = (get_language() or "").startswith("en")
            by_field: dict[str, list[str]] = {}
            for e in errors:
                by_field.setdefault(e.field, []).append(e.message_en if english else e.message_zh)
            raise ValidationError(by_field)

    @property
    def level(self) -> str:
        return {12: codes.VILLAGE, 9: codes.TOWNSHIP, 6: codes.COUNTY}[len(self.code)]


class Role(models.TextChoices):
    VILLAGE_DOCTOR = "village_doctor", _("Village doctor")
    TOWNSHIP_PH = "township_ph", _("Township public-health officer")
    TOWNSHIP_MCH = "township_mch", _("Township MCH officer")
    TOWNSHIP_DIRECTOR = "township_director", _("Township director")
    COUNTY_ADMIN = "county_admin", _("County health bureau")
    COUNTY_CDC = "county_cdc", _("County CDC officer")
    COUNTY_MCH = "county_mch", _("County MCH officer")
    SYSADMIN = "sysadmin", _("System administrator")


# The kind of unit each role works at; a role at the wrong level would see too much or
# too little.
ROLE_UNIT_KIND = {
    Role.VILLAGE_DOCTOR: codes.VILLAGE,
    Role.TOWNSHIP_PH: codes.TOWNSHIP,
    Role.TOWNSHIP_MCH: codes.TOWNSHIP,
    Role.TOWNSHIP_DIRECTOR: codes.TOWNSHIP,
    Role.COUNTY_ADMIN: codes.COUNTY,
    Role.COUNTY_CDC: codes.COUNTY,
    Role.COUNTY_MCH: codes.COUNTY,
    Role.SYSADMIN: codes.COUNTY,
}


class StaffManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """A member of staff of one org unit, with one role. Sees that unit's subtree only."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="staff",
        db_column="unit_code", verbose_name=_("unit"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    scope_field = "unit_id"
    objects = StaffManager()

    class Meta:
        ordering = ["unit_id", "username"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self):
        super().clean()
        if self.role and self.unit_id:
            wanted = ROLE_UNIT_KIND[Role(self.role)]
            kind = OrgUnit.objects.filter(code=self.unit_id).values_list("kind", flat=True).first()
            if kind != wanted:
                raise ValidationError({"unit": _(
                    "A %(role)s works at a unit of kind “%(kind)s”."
                ) % {"role": Role(self.role).label, "kind": OrgUnit.Kind(wanted).label}})
        if self.role and not self.unit_id:
            raise ValidationError({"unit": _("Staff with a role belong to a unit.")})

    @property
    def level(self) -> str | None:
        return ROLE_UNIT_KIND.get(self.role) if self.role else None
