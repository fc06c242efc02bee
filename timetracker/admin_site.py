from django.contrib import admin
from django.urls import include, path


class TimeTrackerAdminSite(admin.AdminSite):
    site_header = "TimeTracker administration"
    site_title = "TimeTracker admin"
    index_title = "Administration"

    # Models whose admin pages live at a friendlier URL than /admin/<app>/<model>/.
    custom_prefixes = {("apitokens", "apitoken"): "api-tokens/"}

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

    Subclasses name a create and an update service; the update service receives the changed fields.
    """

    create_service = None
    update_service = None
    instance_kwarg = None

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
            self.update_service(**{self.instance_kwarg: obj}, **changes)
        else:
            created = self.create_service(**form.cleaned_data)
            obj.pk = created.pk
            obj.refresh_from_db()
