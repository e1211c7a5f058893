"""The check-up: who depends on whom, as each department says it; its DMs, its modal, its close and its job."""
