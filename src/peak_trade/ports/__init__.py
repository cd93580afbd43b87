"""Ports: the Protocols every adapter implements, and the errors that may cross them."""
