"""The local, read-only web dashboard over the run logs (stdlib HTTP server, SVG charts)."""
