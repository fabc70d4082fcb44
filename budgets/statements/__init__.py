"""Reading bank statements: CAMT.053, MT940 and CSV files into one plain shape (model.py).

Plain Python with no Django import, like the vote rules, so the parsers can be tested and
benchmarked alone. A parser reads a whole file or refuses it with a StatementError that says
where and why; it never returns part of a file."""
