"""HTTP routers: parse, call one service, return a response model."""
