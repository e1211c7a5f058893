"""The org file: its model, reading and checking it, and applying it to the database."""
