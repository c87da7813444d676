"""Probing the installed TensorFlow: which ops each public API emits and whether they convert."""
