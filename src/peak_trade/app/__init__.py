"""Application layer: config, wiring, use cases, monitoring and the command line."""
