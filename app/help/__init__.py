"""Anonymous questions: students ask without an account, youth workers answer."""
