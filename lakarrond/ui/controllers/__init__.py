"""Controllers: one per area of the window; each wires its view to the services."""
