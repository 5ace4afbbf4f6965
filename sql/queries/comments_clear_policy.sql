-- comment_policy holds one row: the settings of the latest run.
delete from comment_policy
