"""What a provider promises a request (the agreement it was filed under) and the SLA clocks kept on its row."""
