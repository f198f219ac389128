"""Sources: YAML files and texts read with the line of every value, and findings placed back at them."""
