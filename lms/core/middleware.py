"""Security headers for every response: a strict Content-Security-Policy (no inline scripts) on the site,
a relaxed one on the admin interfaces, whose pages carry inline scripts of their own."""
from django.conf import settings

SITE_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' https:",
    # 'self': a SCORM lesson's SCO (lms.scorm), served with its own policy (frame-ancestors 'self', sandbox)
    "frame-src 'self' https://www.youtube-nocookie.com https://www.youtube.com https://player.vimeo.com https://www.dailymotion.com",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
])
ADMIN_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "frame-src 'self' https:",
    "frame-ancestors 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
])
ADMIN_PREFIXES = ("/cms/", "/django-admin/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        admin = request.path.startswith(ADMIN_PREFIXES)
        response.headers.setdefault("Content-Security-Policy", ADMIN_POLICY if admin else SITE_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if getattr(settings, "LMS_PRIVATE_CACHE_CONTROL", True) and request.user.is_authenticated \
                and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-store"  # personal pages never in a shared cache
        return response
