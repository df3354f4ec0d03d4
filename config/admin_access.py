"""Admin classes for what only administrators (superusers) may open, whatever permissions a staff
account was given by hand: students' letters, batches, deliveries and the teams that lead to them.
See coordinate/permissions.py for who may do what."""

from django.contrib import admin


def is_administrator(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_superuser)


class AdministratorsOnlyMixin:
    """Every permission of the model admin also needs a superuser."""

    def has_module_permission(self, request) -> bool:
        return is_administrator(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_administrator(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args) -> bool:
        return is_administrator(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_administrator(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_administrator(request) and super().has_delete_permission(request, obj)


class ReadOnlyMixin:
    """Shown, never changed in the admin: the coordinator pages and the services change it."""

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
