"""Code: themes from free text, codeframes and assisted coding, weighting to the
population, and the groupings through which themes and codes reach results."""
