"""Error pages in the site's layout and the visitor's language.

404 and 403 are Django's own views with our templates. The 500 page is rendered with no
request context (a context processor, the session or the database may be what failed), and if
even that fails, a plain page in English is returned rather than nothing.
"""

import logging

from django.http import HttpRequest, HttpResponseForbidden, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

PLAIN_500 = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Server error</title>'
    "</head><body><h1>Something went wrong on our side</h1><p>Please try again in a few "
    'minutes. <a href="/">Back to the campaigns</a></p></body></html>'
)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponseServerError:
    try:
        # No request context; the menu's language form goes without a CSRF token.
        html = render_to_string("500.html", {"csrf_token": "NOTPROVIDED"})
    except Exception:
        logger.exception("the 500 page could not be rendered")
        html = PLAIN_500
    return HttpResponseServerError(html)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """A form sent without its CSRF token (expired, or cookies blocked): what to do next."""
    return render(request, "403_csrf.html", status=403)
