"""Business logic. Nothing here imports FastAPI; computations are pure functions."""
