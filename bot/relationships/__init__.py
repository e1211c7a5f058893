"""The relationship map: who serves whom, as declared in the check-up and observed in requests; what to act on."""
