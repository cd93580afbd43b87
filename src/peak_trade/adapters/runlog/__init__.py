"""Run logs on disk (design.md section 6): the writer a session appends to, and its reader."""
