"""Sub-commands of `peak-trade`; each module provides add_parser(subparsers) and run(args)."""
