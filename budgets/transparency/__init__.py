"""The open pages: where the money came from, what was decided, where it went and the time
given, for everyone without logging in, and per funder and funding stream down to the receipt.

Only aggregates of people are shown, and a group smaller than five people is never shown."""
