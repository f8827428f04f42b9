"""Routes of the grants solution (claims); included by urls.py."""

urlpatterns: list = []
