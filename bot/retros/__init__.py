"""Retrospectives: schedules and periods, facts, entries and action items, their messages and their job."""
