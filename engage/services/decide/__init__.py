"""Decide: the priority board (Task and Finish groups, scores, the shortlist) and the
partnership plan built from it."""
