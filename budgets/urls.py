from django.urls import include, path

from budgets import views

app_name = "budgets"

urlpatterns = [
    path("c/<slug:slug>/decide/", views.home, name="home"),
    path("c/<slug:slug>/decide/propose/", views.propose, name="propose"),
    path(
        "c/<slug:slug>/decide/proposals/<int:number>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path("c/<slug:slug>/decide/money/", views.streams, name="streams"),
    path("c/<slug:slug>/decide/money/add/", views.add_stream, name="add_stream"),
    path(
        "c/<slug:slug>/decide/money/<int:pk>/received/",
        views.record_receipt,
        name="record_receipt",
    ),
    path("c/<slug:slug>/decide/money/bank/", views.bank_accounts, name="bank_accounts"),
    path(
        "c/<slug:slug>/decide/money/bank/import/",
        views.import_statement,
        name="import_statement",
    ),
    path("c/<slug:slug>/decide/money/bank/<int:pk>/", views.bank_lines, name="bank_lines"),
    path(
        "c/<slug:slug>/decide/money/bank/<int:pk>/match/",
        views.match_bank_lines,
        name="match_bank_lines",
    ),
    path(
        "c/<slug:slug>/decide/money/bank/<int:pk>/lines/<int:line_pk>/accept/",
        views.accept_suggestion,
        name="accept_suggestion",
    ),
    path(
        "c/<slug:slug>/decide/money/bank/<int:pk>/lines/<int:line_pk>/book/",
        views.book_bank_line,
        name="book_bank_line",
    ),
    path(
        "c/<slug:slug>/decide/money/bank/<int:pk>/lines/<int:line_pk>/link/",
        views.link_bank_line,
        name="link_bank_line",
    ),
    path("c/<slug:slug>/decide/money/close-year/", views.close_year, name="close_year"),
    path("c/<slug:slug>/decide/board/", views.board, name="board"),
    path("c/<slug:slug>/decide/board/proposals/<int:number>/check/", views.check, name="check"),
    path("c/<slug:slug>/decide/board/open-vote/", views.open_vote, name="open_vote"),
    path("c/<slug:slug>/decide/agreements/", views.agreements, name="agreements"),
    path(
        "c/<slug:slug>/decide/agreements/<int:pk>/done/",
        views.agreement_done,
        name="agreement_done",
    ),
    path("c/<slug:slug>/decide/votes/<int:pk>/", views.ballot, name="ballot"),
    path("c/<slug:slug>/decide/votes/<int:pk>/proxy/", views.proxy, name="proxy"),
    path("c/<slug:slug>/decide/votes/<int:pk>/paper/", views.paper, name="paper"),
    path("c/<slug:slug>/decide/votes/<int:pk>/close/", views.close_vote, name="close_vote"),
    path("c/<slug:slug>/decide/votes/<int:pk>/results/", views.results, name="results"),
    path("c/<slug:slug>/decide/votes/<int:pk>/ballots.pb", views.download, name="download"),
    path("", include("budgets.expenses.urls")),
    path("", include("budgets.reports.urls")),
    path("", include("budgets.closing.urls")),
    path("", include("budgets.transparency.urls")),
]
