"""Collectors: fetch public posts since a watermark and land every payload as received."""
