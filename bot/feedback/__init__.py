"""Feedback to a department: submitting and replying, its messages, and the managers' weekly digest."""
