from django.contrib import admin

from .models import PrevalenceSetting


@admin.register(PrevalenceSetting)
class PrevalenceSettingAdmin(admin.ModelAdmin):
    list_display = ("county", "programme", "rate", "source")
