"""Raw items to clean posts: Vietnamese text, URLs, times."""
