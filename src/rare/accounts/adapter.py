from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Members are invited, never self-registered."""

    def is_open_for_signup(self, request) -> bool:
        return False
