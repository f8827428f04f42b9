"""Pages of the grants solution, under /grants/ (namespace "grants").

Each area keeps its routes beside its views: the project pages and the
coordinator's dashboard, the contract (start, signature, the client's
answer), the payment claims, and the durability period.
"""

from obieg.solutions.grants import urls_claims, urls_contract, urls_durability, urls_pages

app_name = "grants"

urlpatterns = [
    *urls_pages.urlpatterns,
    *urls_contract.urlpatterns,
    *urls_claims.urlpatterns,
    *urls_durability.urlpatterns,
]
