"""A small JSON API over the same rules as the forms (session login; CSRF on writes).

    GET  api/idcheck?number=…[&sex=1&birth_date=YYYY-MM-DD]  → the verdict on an ID number
    GET  api/residents?q=…&page=N                            → search, scoped, IDs masked
    POST api/residents   (form-encoded fields of the resident form)  → 201 or 400 with errors
    GET  api/residents/<id>                                  → one resident, audited
"""

from datetime import date

from django.http import JsonResponse
from django.utils.translation import get_language

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.orgs.access import scoped_view

from . import services
from .forms import HealthRecordForm, ResidentForm, check_id_number
from .models import Resident
from .search import search_residents


def _resident_json(r: Resident) -> dict:
    return {"id": r.pk, "record_number": r.record_number, "name": r.name, "sex": r.sex,
            "birth_date": r.birth_date.isoformat(), "id_number_masked": r.masked_id,
            "village": r.village_id, "status": r.status, "phone": r.phone}


@scoped_view
def idcheck(request):
    number = request.GET.get("number", "")
    try:
        born = date.fromisoformat(request.GET["birth_date"]) if request.GET.get("birth_date") else None
    except ValueError:
        return JsonResponse({"valid": False, "errors": [{"part": "birth_date", "message": "日期格式应为 YYYY-MM-DD"}]}, status=400)
    info, problems = check_id_number(number, sex=request.GET.get("sex") or None, birth_date=born)
    if info is None:
        return JsonResponse({"valid": False, "errors": [{"part": "id_number", "message": problems[0][1]}]})
    return JsonResponse({
        "valid": not problems, "number": info.number, "upgraded_from_15": info.upgraded_from_15,
        "birth_date": info.birth_date.isoformat(), "sex": info.sex, "region": info.region_code,
        "errors": [{"part": part, "message": message} for part, message in problems],
        "language": get_language(),
    })


@scoped_view
def residents(request):
    if request.method == "POST":
        form = ResidentForm(request.POST, user=request.user)
        health = HealthRecordForm(request.POST)
        if form.is_valid() and health.is_valid():
            resident = services.do_create_resident(request, dict(form.cleaned_data), dict(health.cleaned_data))
            return JsonResponse(_resident_json(resident), status=201)
        errors = {**form.errors.get_json_data(), **health.errors.get_json_data()}
        return JsonResponse({"errors": errors}, status=400)
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    result = search_residents(request.user, request.GET.get("q", ""), page)
    audit(request, Action.SEARCH, object_type="resident", detail={"kind": result.kind, "hits": result.total, "api": True})
    return JsonResponse({"kind": result.kind, "total": result.total, "page": result.page,
                         "results": [_resident_json(r) for r in result.rows]})


@scoped_view
def resident(request, pk):
    r = Resident.objects.for_user(request.user).filter(pk=pk).first()
    if r is None:
        return JsonResponse({"error": "not found"}, status=404)
    audit(request, Action.VIEW, obj=r, resident_id=r.pk, detail={"api": True})
    return JsonResponse(_resident_json(r))
