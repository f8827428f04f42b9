"""Routes of the grants solution (contract); included by urls.py."""

urlpatterns: list = []
