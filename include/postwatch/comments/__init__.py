"""Public comments on the official pages' own posts: collect, classify, and find the unanswered (R5)."""
