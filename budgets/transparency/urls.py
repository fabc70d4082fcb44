from django.urls import path

from budgets.transparency import chain, report_views, views

OPEN = "c/<slug:slug>/open/"

urlpatterns = [
    path(OPEN, views.open_page, name="open"),
    path(f"{OPEN}funders/<int:pk>/", views.funder, name="open_funder"),
    path(f"{OPEN}streams/<int:pk>/", views.stream, name="open_stream"),
    path(f"{OPEN}streams/<int:pk>/report/", report_views.report, name="open_report"),
    path(f"{OPEN}streams/<int:pk>/report.pdf", report_views.report_pdf, name="open_report_pdf"),
    path(f"{OPEN}streams/<int:pk>/report.xlsx", report_views.report_xlsx, name="open_report_xlsx"),
    path(f"{OPEN}projects/<int:number>/", views.project, name="open_project"),
    path(f"{OPEN}chain/", chain.chain, name="open_chain"),
    path(f"{OPEN}chain.jsonl", chain.chain_export, name="open_chain_export"),
    path(f"{OPEN}verify.py", chain.verifier, name="open_verifier"),
    path(f"{OPEN}chain/<int:seq>/", chain.chain_event, name="open_chain_event"),
]
