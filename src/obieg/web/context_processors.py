def navigation(request):
    """Flags the base layout uses to show the menu entries a role needs."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_is_admin": user.is_superuser or user.has_role("admin")}
