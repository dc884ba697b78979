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
