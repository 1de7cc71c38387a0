from django.contrib import admin

from .models import ChildDeath


@admin.register(ChildDeath)
class ChildDeathAdmin(admin.ModelAdmin):
    list_display = ("resident", "village", "date", "age_months", "review_status", "review_conclusion")
    list_filter = ("review_status", "review_conclusion")
    raw_id_fields = ("resident", "reported_by", "reviewed_by")
