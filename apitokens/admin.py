from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from . import scopes as scope_registry
from .models import APIToken
from .services import api_token_create, api_token_revoke


class ScopesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=scope_registry.CHOICES, **kwargs)


class APITokenCreateForm(forms.ModelForm):
    scopes = ScopesField(help_text="A write scope includes its read scope; admin:all grants everything.")
    expires_in_days = forms.IntegerField(
        label="Expires in (days)", required=False, min_value=1, help_text="Leave empty for a token that never expires."
    )

    class Meta:
        model = APIToken
        fields = ["name", "description", "user"]


class APITokenChangeForm(forms.ModelForm):
    scopes = ScopesField()

    class Meta:
        model = APIToken
        fields = ["name", "description", "scopes", "expires_at"]


class TokenStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "active":
            return queryset.usable()
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    list_display = ("name", "masked_token", "user", "scope_list", "status", "expires_at", "last_used_at", "created_at")
    list_filter = (TokenStatusFilter, "created_at")
    list_select_related = ("user",)
    search_fields = ("name", "description", "prefix", "user__username")
    date_hierarchy = "created_at"
    actions = ["revoke_tokens"]
    add_fieldsets = ((None, {"fields": ("name", "description", "user", "scopes", "expires_in_days")}),)
    change_readonly = ("masked_token", "user", "status", "created_by", "created_at", "last_used_at", "revoked_at")

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = APITokenChangeForm if obj else APITokenCreateForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return (
            (None, {"fields": ("name", "description", "masked_token", "user", "scopes", "expires_at")}),
            ("Usage", {"fields": ("status", "created_by", "created_at", "last_used_at", "revoked_at")}),
        )

    def get_readonly_fields(self, request, obj=None):
        return self.change_readonly if obj else ()

    def get_queryset(self, request):
        # Staff who are not superusers manage only their own tokens.
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            # Only a superuser may mint tokens that act as somebody else.
            kwargs["queryset"] = get_user_model().objects.filter(pk=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        data = form.cleaned_data
        token, plaintext = api_token_create(
            user=data["user"], name=data["name"], description=data.get("description", ""),
            scopes=data["scopes"], expires_in_days=data.get("expires_in_days"), created_by=request.user,
        )
        obj.pk = token.pk
        obj.refresh_from_db()
        obj.plaintext = plaintext  # lives only in this request's memory

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "title": "API token created",
            "opts": self.model._meta,
            "token": obj,
            "plaintext": obj.plaintext,
        }
        response = TemplateResponse(request, "admin/apitokens/apitoken/token_created.html", context)
        add_never_cache_headers(response)  # the page holds a secret: no browser or proxy may cache it
        return response

    @admin.display(description="Token")
    def masked_token(self, token):
        return f"{token.prefix}…"

    @admin.display(description="Scopes")
    def scope_list(self, token):
        return ", ".join(token.scopes)

    @admin.display(description="Status")
    def status(self, token):
        if token.is_revoked:
            return "Revoked"
        return "Expired" if token.is_expired else "Active"

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke_tokens(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token)
            count += 1
        self.message_user(request, f"Revoked {count} token(s).")
