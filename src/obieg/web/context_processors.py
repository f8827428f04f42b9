from django.utils.functional import SimpleLazyObject

from obieg.core import access
from obieg.web import navigation as menu


def navigation(request):
    """Flags the base layout and lists use to show only what a role can do.

    Each is worked out when a template first reads it: an htmx fragment (the
    bell, the inbox badge, a list's next rows) is rendered with the same
    processors but shows no menu, and would otherwise pay for it (and the role
    query behind it) on every call.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # request.user is a lazy proxy, loaded by now: each attribute read through it costs
    # a few calls, and the menu's twenty-odd predicates read several each.
    user = getattr(user, "_wrapped", user)
    return {
        "nav_is_admin": SimpleLazyObject(lambda: access.is_admin(user)),
        # The board and accounting read; "New …" buttons are hidden from them.
        "may_create": SimpleLazyObject(lambda: access.may_create(user)),
        "nav_menu": menu.Menu(user),
    }
