"""/api/v1/: contributions, confirmations, balances and public aggregates."""

urlpatterns = []
