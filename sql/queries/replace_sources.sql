delete from sources
