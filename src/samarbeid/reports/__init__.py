"""Reports: the mapping report, municipality overviews and comparisons, in Norwegian."""
