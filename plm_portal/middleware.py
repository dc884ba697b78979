from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PortalLocaleMiddleware(LocaleMiddleware):
    """Indonesian unless the user picked another language with the switch.

    The browser's Accept-Language is ignored on purpose: officers' phones are often set to English, and the
    programme's vocabulary (Daftar Hadir, RTL, Gelombang) is Indonesian; English is an explicit choice.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if not translation.check_for_language(language) or language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class MfaRequiredMiddleware:
    """National staff and admin users set up an authenticator app before they see anything else.

    A signed-in user who must use two-factor sign-in (``plm_portal.adapters.mfa_required``) and has no TOTP
    authenticator yet is redirected to allauth's activation page (whose text says why) from every page
    except the sign-in pages themselves (``/accounts/``: logout, reauthentication, the MFA pages), static files
    and the health check. Once found, the authenticator is remembered in the session so that later requests
    cost no query. ``settings.PLM_MFA_REQUIRED = False`` turns the rule off (the unit tests sign users in with
    ``force_login``; tests/plm_portal/test_mfa.py turns it on).

    A ``PermissionDenied`` raised by a view is logged as a ``permission_denied`` auth event on its way to the
    403 handler (plm_portal.auth_events).
    """

    SESSION_KEY = "plm_mfa_ok"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self._enforce(request)
        return response if response is not None else self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        from django.core.exceptions import PermissionDenied

        if isinstance(exception, PermissionDenied):
            from plm_portal.auth_events import log_permission_denied

            log_permission_denied(request)

    def _enforce(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if not settings.PLM_MFA_REQUIRED or user is None or not user.is_authenticated:
            return None
        if request.session.get(self.SESSION_KEY) == user.pk:
            return None
        from plm_portal.adapters import has_totp, mfa_required

        if not mfa_required(user):
            return None
        if has_totp(user):
            request.session[self.SESSION_KEY] = user.pk
            return None
        if self._exempt(request.path_info):
            return None
        return self._redirect_to_setup(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        from django.urls import reverse

        static = "/" + settings.STATIC_URL.lstrip("/")
        exempt = (
            reverse("account_login").rsplit("login/", 1)[
                0
            ],  # /accounts/: sign-in, logout, MFA pages
            static,
            reverse("healthz"),
            reverse("favicon"),
            reverse("set_language"),
        )
        return path.startswith(exempt)

    @staticmethod
    def _redirect_to_setup(request: HttpRequest):
        """To the activation page, whose text says why (templates/mfa/totp/activate_form.html)."""
        from django.shortcuts import redirect
        from django.urls import reverse
        from django_htmx.http import HttpResponseClientRedirect

        url = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
