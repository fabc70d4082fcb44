app_name = "shares"

urlpatterns: list = []
