"""Processing: relevance, keyword rules, tone and flags applied to posts in the warehouse."""
