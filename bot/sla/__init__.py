"""The agreements' clocks: promises, the sweep that raises alerts, their messages and their delivery."""
