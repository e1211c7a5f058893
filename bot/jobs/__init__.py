"""Scheduled work: the jobs, and the APScheduler wiring that runs them."""
