from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found


def not_found(request, exception):
    """Under /api/ a missing address answers in JSON, as the rest of the API does."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)
