"""Running an instance: checks an operator runs to see that it is set up safely."""
