"""The seven-step wizard that turns an empty draft into an upload package."""
