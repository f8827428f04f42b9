"""Pages of the PV sales force, under /salesforce/ (namespace "salesforce")."""

from obieg.solutions.pv_salesforce import urls_field, urls_manager, urls_queue

app_name = "salesforce"

urlpatterns = [*urls_queue.urlpatterns, *urls_field.urlpatterns, *urls_manager.urlpatterns]
