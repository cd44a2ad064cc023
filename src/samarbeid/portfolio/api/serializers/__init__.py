"""What a client sends (:mod:`.inputs`) and what the API answers (:mod:`.outputs`)."""
