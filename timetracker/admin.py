from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from .models import IdempotencyKey, SiteSettings, UserProfile

User = get_user_model()


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    fields = ("timezone",)


admin.site.unregister(User)


@admin.register(User)
class TimeTrackerUserAdmin(UserAdmin):
    inlines = [UserProfileInline]
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active", "timezone")
    list_select_related = ("profile",)

    def get_inlines(self, request, obj):
        # A new user gets its profile from the post_save signal; an inline on the
        # add page would try to create a second one.
        return self.inlines if obj else []

    @admin.display(description="Timezone", ordering="profile__timezone")
    def timezone(self, user):
        return getattr(getattr(user, "profile", None), "timezone", "")


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    """Read-only: what a retried POST will replay (kept 24 hours)."""

    list_display = ("key", "token", "status_code", "created_at")
    list_select_related = ("token",)
    search_fields = ("key", "token__name", "token__prefix")
    list_filter = ("status_code",)
    date_hierarchy = "created_at"
    readonly_fields = ("token", "key", "request_fingerprint", "status_code", "response_body", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """The Settings page: the list goes straight to the one row; it cannot be added twice or deleted."""

    fieldsets = (
        ("Modules", {"fields": ("inventory_enabled",)}),
        ("Inventory", {"fields": ("default_currency",)}),
    )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        row = SiteSettings.load()
        return redirect(reverse(f"{self.admin_site.name}:timetracker_sitesettings_change", args=[row.pk]))
