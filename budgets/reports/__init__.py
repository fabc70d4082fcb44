"""Reports of the books for any period: balance sheet, income and expenditure, per funding stream."""
