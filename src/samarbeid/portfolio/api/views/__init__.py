"""The portfolio API's views, one module per resource."""
