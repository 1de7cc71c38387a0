from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .models import OrgUnit, User
from .services import import_units, read_table


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    ordering = ("code",)
    autocomplete_fields = ("parent",)
    change_list_template = "admin/orgs/orgunit/change_list.html"

    def get_urls(self):
        return [path("import/", self.admin_site.admin_view(self.import_view),
                     name="orgs_orgunit_import")] + super().get_urls()

    def import_view(self, request):
        form = ImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = read_table(upload.name, upload.read())
            except Exception as exc:  # unreadable file: tell the user, change nothing
                form.add_error("file", str(exc))
            else:
                result = import_units(rows)
                if result.ok:
                    messages.success(request, _("Imported: %(c)d new, %(u)d updated.")
                                     % {"c": result.created, "u": result.updated})
                    return redirect("admin:orgs_orgunit_changelist")
        return render(request, "admin/orgs/orgunit/import.html", {
            **self.admin_site.each_context(request), "form": form, "result": result,
            "opts": self.model._meta, "title": _("Import org units"),
        })


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ("username", "full_name", "unit", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "unit__code", "unit__name")
    autocomplete_fields = ("unit",)
    fieldsets = UserAdmin.fieldsets + ((_("Unit and role"), {"fields": ("unit", "role", "full_name", "phone")}),)
    add_fieldsets = UserAdmin.add_fieldsets + ((_("Unit and role"), {"fields": ("unit", "role", "full_name")}),)
