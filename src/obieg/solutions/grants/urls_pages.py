"""Routes of the grants solution (pages); included by urls.py."""

urlpatterns: list = []
