"""The ``vardflode`` command line: one module per command."""
