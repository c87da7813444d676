"""--trace: import the file in a child process, convert its model(s), confirm findings."""
