"""PostWatch: monitor public posts about a Vietnamese local government."""
