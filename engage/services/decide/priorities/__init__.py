"""The priority board: Task and Finish groups, criteria, scores, ranking, shortlist."""
