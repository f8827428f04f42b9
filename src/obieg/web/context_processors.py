from obieg.core import access
from obieg.web import navigation as menu


def navigation(request):
    """Flags the base layout and lists use to show only what a role can do."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_admin": access.is_admin(user),
        # The board and accounting read; "New …" buttons are hidden from them.
        "may_create": access.may_create(user),
        "nav_menu": menu.menu_for(user),
    }
