"""Alert rules and the engine that evaluates them inside the session."""
