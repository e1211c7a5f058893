"""The ``inhouse`` command line: one module per command group."""
