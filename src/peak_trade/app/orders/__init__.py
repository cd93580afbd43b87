"""The order path: guards, risk, the venue, the ledger and the run log."""
