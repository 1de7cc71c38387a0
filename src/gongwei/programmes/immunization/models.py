"""Vaccination cards, doses given, the stored next doses, and suspected adverse events.

- VaccinationCard: 预防接种卡/证 of one child (建卡, NORMS §3.2), issued by a township health
  centre's vaccination clinic; created with the child's enrolment in the care engine.
- DoseRecord: one dose as written on the card, with the verdict of ``schedule.validate_given``
  over all the child's doses (re-judged whenever a dose is added).
- NextDose: the next dose of each series the child still needs, with its dates, as
  ``rules.stored_schedule`` computed it in the transaction of the last dose (derived data: the
  due lists are index ranges over it).
- AEFI: 疑似预防接种异常反应, reported on a dose, classified by the county CDC.

Each row carries the village code of the child (scope); cards, doses and next doses follow the
child when it moves (the certificate goes with the child, NORMS §3.2), reports of adverse
events stay where they were made.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongwei.orgs.access import ScopedQuerySet

from .schedule import VACCINES

VACCINE_CHOICES = [(v.code, f"{v.code} {v.name_zh}") for v in VACCINES]


class Route(models.TextChoices):
    """NORMS §3.1 "Route"; codes as schedule.Vaccine.route, lower-case."""

    IM = "im", _("intramuscular")
    SC = "sc", _("subcutaneous")
    ID = "id", _("intradermal")
    ORAL = "oral", _("oral")


class Site(models.TextChoices):
    LEFT_ARM = "l_arm", _("left upper arm")
    RIGHT_ARM = "r_arm", _("right upper arm")
    LEFT_THIGH = "l_thigh", _("left thigh")
    RIGHT_THIGH = "r_thigh", _("right thigh")
    ORAL = "oral", _("by mouth")
    OTHER = "other", _("other")


class Validity(models.TextChoices):
    """schedule.VALID / TOO_EARLY / NOT_COUNTED."""

    VALID = "valid", _("valid")
    TOO_EARLY = "too_early", _("too early, to be repeated")
    NOT_COUNTED = "not_counted", _("not counted")


class VaccinationCard(models.Model):
    resident = models.OneToOneField("people.Resident", on_delete=models.PROTECT, related_name="vaccination_card")
    village = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, db_column="village_code", related_name="+")
    enrolment = models.OneToOneField("care.Enrolment", on_delete=models.PROTECT, related_name="vaccination_card")
    number = models.CharField(_("card number"), max_length=30, unique=True)
    date = models.DateField(_("card date"))
    clinic = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, db_column="clinic_code", related_name="+",
                               verbose_name=_("vaccination clinic"))
    # When the child should have had it (rules.card_due_date, at issue) and why.
    due_by = models.DateField(_("card due by"))
    migrant = models.BooleanField(_("migrant child"), default=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # rules.Stored.refresh_on: the stored next doses must be recomputed on this day.
    refresh_on = models.DateField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("vaccination card")
        verbose_name_plural = _("vaccination cards")

    def __str__(self):
        return self.number

    @property
    def on_time(self) -> bool:
        return self.date <= self.due_by


class DoseRecord(models.Model):
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="vaccine_doses")
    village = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, db_column="village_code", related_name="+")
    vaccine = models.CharField(_("vaccine"), max_length=10, choices=VACCINE_CHOICES)
    dose = models.PositiveSmallIntegerField(_("dose number"))
    date = models.DateField(_("date given"))
    batch = models.CharField(_("batch number"), max_length=30, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=60, blank=True)
    site = models.CharField(_("site"), max_length=8, choices=Site.choices, blank=True)
    route = models.CharField(_("route"), max_length=4, choices=Route.choices)
    # Given here: the clinic and the vaccinator; given elsewhere (a birth hospital, another
    # county, written on the certificate the child brings): the place in words.
    clinic = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, db_column="clinic_code", related_name="+",
                               null=True, blank=True, verbose_name=_("vaccination clinic"))
    vaccinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True, verbose_name=_("vaccinator"))
    elsewhere = models.CharField(_("given elsewhere, at"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The verdict of schedule.validate_given over all the child's doses (kept for lists and
    # indicators): the series, which dose of it this is when valid, and why.
    series = models.CharField(_("series"), max_length=10, blank=True)
    counted_as = models.PositiveSmallIntegerField(_("counted as dose"), null=True, blank=True)
    validity = models.CharField(_("validity"), max_length=12, choices=Validity.choices)
    validity_reason = models.CharField(_("reason"), max_length=400, blank=True)
    # schedule.is_timely for valid doses (HepB 1 within 24 h, others in their month of age).
    timely = models.BooleanField(_("on time"), default=False)
    age_days = models.PositiveIntegerField(_("age (days)"))
    age_months = models.PositiveSmallIntegerField(_("age (months)"))

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("vaccine dose")
        verbose_name_plural = _("vaccine doses")
        indexes = [models.Index(fields=["resident", "date"]),
                   models.Index(fields=["village", "date"])]

    def __str__(self):
        return f"{self.vaccine} {self.dose} {self.date}"

    @property
    def valid(self) -> bool:
        return self.validity == Validity.VALID


class NextDose(models.Model):
    """The next dose of a series a child needs, with the dates of ``schedule.DueDose``.

    Only for children on the register whose card is open: deleted at death, moving out or
    being lost (receivers), and by the nightly refresh when a management was closed by hand.
    """

    card = models.ForeignKey(VaccinationCard, on_delete=models.CASCADE, related_name="next_doses")
    village = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, db_column="village_code", related_name="+")
    series = models.CharField(max_length=10)
    dose = models.PositiveSmallIntegerField()
    vaccine = models.CharField(max_length=10)
    earliest = models.DateField()
    recommended = models.DateField()
    overdue_from = models.DateField()
    catch_up_from = models.DateField()
    too_late_from = models.DateField()

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            # Every list is a range over the scope's villages; the dates and the card are in
            # the index, so the lists never read the table or join (rows exist only for
            # managed cards of children on the register: actions, receivers, nightly refresh).
            models.Index(fields=["village", "earliest", "overdue_from", "catch_up_from", "too_late_from", "card"],
                         name="imm_next_list_idx"),
            models.Index(fields=["village", "series", "earliest"], name="imm_next_series_idx"),
        ]


class Severity(models.TextChoices):
    GENERAL = "general", _("non-serious")
    SERIOUS = "serious", _("serious")


class AefiClass(models.TextChoices):
    """Classification of a suspected adverse event following immunization (AEFI)."""

    PENDING = "pending", _("under investigation")
    COMMON = "common", _("common reaction")
    RARE = "rare", _("vaccine reaction (abnormal)")
    QUALITY = "quality", _("vaccine quality defect")
    ERROR = "error", _("immunization error")
    COINCIDENTAL = "coincidental", _("coincidental event")
    ANXIETY = "anxiety", _("immunization anxiety reaction")
    UNKNOWN = "unknown", _("cause unknown")


class Outcome(models.TextChoices):
    UNKNOWN = "", _("not yet known")
    RECOVERED = "recovered", _("recovered fully")
    IMPROVED = "improved", _("improving")
    NOT_RECOVERED = "not_recovered", _("not recovered")
    SEQUELAE = "sequelae", _("recovered with sequelae")
    DIED = "died", _("died")


class AEFI(models.Model):
    dose = models.ForeignKey(DoseRecord, on_delete=models.PROTECT, related_name="aefis")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="aefis")
    village = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, db_column="village_code", related_name="+")
    onset_date = models.DateField(_("onset date"))
    symptoms = models.CharField(_("symptoms and signs"), max_length=500)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.GENERAL)
    hospitalised = models.BooleanField(_("hospitalised"), default=False)
    reported_on = models.DateField(_("reported on"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    classification = models.CharField(_("reaction class"), max_length=12, choices=AefiClass.choices,
                                      default=AefiClass.PENDING)
    outcome = models.CharField(_("patient outcome"), max_length=14, choices=Outcome.choices, blank=True)
    note = models.CharField(_("investigation note"), max_length=500, blank=True)
    classified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      null=True, blank=True)
    classified_on = models.DateField(_("classified on"), null=True, blank=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("suspected adverse event")
        verbose_name_plural = _("suspected adverse events")
        indexes = [models.Index(fields=["village", "reported_on"])]
