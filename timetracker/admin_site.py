from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import include, path

from timetracker.errors import DomainError


class TimeTrackerAdminSite(admin.AdminSite):
    site_header = "TimeTracker administration"
    site_title = "TimeTracker admin"
    index_title = "Administration"

    # Models whose admin pages live at a friendlier URL than /admin/<app>/<model>/.
    custom_prefixes = {("apitokens", "apitoken"): "api-tokens/", ("timetracker", "sitesettings"): "settings/"}

    def get_urls(self):
        urls = super().get_urls()
        moved = {}
        for model, model_admin in self._registry.items():
            prefix = self.custom_prefixes.get((model._meta.app_label, model._meta.model_name))
            if prefix:
                moved[f"{model._meta.app_label}/{model._meta.model_name}/"] = path(prefix, include(model_admin.urls))
        # Replace the default pattern in place, so reverse() yields only the new URL.
        return [moved.get(str(getattr(url, "pattern", "")), url) for url in urls]


class ServiceAdminMixin:
    """Admin saves go through the app's services, so the rules hold in the admin too.

    Subclasses implement ``create_via_service(request, data)`` and
    ``update_via_service(request, instance, changes)``; many-to-many fields are the services' job.
    """

    def create_via_service(self, request, data):
        raise NotImplementedError

    def update_via_service(self, request, instance, changes):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        if change:
            # The form has already copied its values onto obj; the service must compare with the stored row.
            stored = self.model._base_manager.get(pk=obj.pk)
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
            self.update_via_service(request, stored, changes)
        else:
            obj.pk = self.create_via_service(request, dict(form.cleaned_data)).pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ServiceCheckedForm(forms.ModelForm):
    """A model form that also runs a service's checks, showing their errors on the form, not as a 500.

    Service errors are keyed by API field names (``project_id``); they land on the matching form field.
    """

    def service_check(self, cleaned_data):
        """Call the service's check function; raise its ValidationError."""

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.service_check(cleaned)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    field = key.removesuffix("_id") if key.removesuffix("_id") in self.fields else key
                    self.add_error(field if field in self.fields else None, messages)
            except DomainError as exc:
                self.add_error(None, exc.message)
        return cleaned
