"""Routes of the grants solution (durability); included by urls.py."""

urlpatterns: list = []
