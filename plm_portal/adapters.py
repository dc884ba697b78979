from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: national staff create accounts and invite people."""

    def is_open_for_signup(self, request) -> bool:
        return False
