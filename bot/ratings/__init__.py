"""Ratings of a resolved request, both ways: recording them, the prompts, and the buttons' parsing."""
