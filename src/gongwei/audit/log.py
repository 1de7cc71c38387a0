"""Write audit events. Called by every action that reads or changes personal data."""

from django.conf import settings

from .models import AuditEvent


def client_ip(request) -> str | None:
    # Behind the county's reverse proxy the client is in X-Forwarded-For; trust it only when
    # the deployment says a proxy is there, or anyone could forge their address.
    if getattr(settings, "GONGWEI_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


def record(request_or_user, action: str, *, obj=None, object_type: str = "",
           object_id="", resident_id: int | None = None, record_unit: str = "",
           detail: dict | None = None) -> AuditEvent:
    """Add one audit event. ``request_or_user`` is the request (preferred: it has the address)."""
    if hasattr(request_or_user, "user"):
        user, ip = request_or_user.user, client_ip(request_or_user)
    else:
        user, ip = request_or_user, None
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
        record_unit = record_unit or getattr(obj, obj.__class__.scope_field, "") or ""
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        unit_code=getattr(user, "unit_id", "") or "",
        ip=ip, action=action, object_type=object_type, object_id=str(object_id),
        resident_id=resident_id, record_unit=record_unit, detail=detail or {},
    )
