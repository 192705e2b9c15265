"""Small reusable widgets: amount and date editors, field messages, file drop area."""
