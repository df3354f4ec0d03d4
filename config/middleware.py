"""Response headers the whole site gets."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy with no inline script: every script is a file of our own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
