from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("viewed")
    SHOW_ID = "show_id", _("showed the full ID number")
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    MERGE = "merge", _("merged duplicates")
    TRANSFER = "transfer", _("transferred")
    DEATH = "death", _("registered a death")
    STATUS = "status", _("changed status")
    EXPORT = "export", _("exported")
    SEARCH = "search", _("searched")


class AuditEvent(models.Model):
    """Who read or changed which personal record, when, from where (PIPL).

    Rows are only ever added. ``resident_id`` is a plain number, not a foreign key, so the
    trail outlives a merge or deletion of the record it describes.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             related_name="+", verbose_name=_("user"))
    unit_code = models.CharField(_("user's unit"), max_length=12, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=40, blank=True)
    object_id = models.CharField(_("record"), max_length=40, blank=True)
    resident_id = models.BigIntegerField(_("resident"), null=True, blank=True)
    # The unit the record belongs to, so the log can be read per township.
    record_unit = models.CharField(_("record's unit"), max_length=12, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["resident_id", "at"]),
            models.Index(fields=["user", "at"]),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}:{self.object_id}"
