"""Pure domain: values and rules. Imports stdlib and attrs only; no I/O, no clock reads."""
