"""The cost-sharing pages (:mod:`.pages`), the downloads and the form (:mod:`.edit`)."""
