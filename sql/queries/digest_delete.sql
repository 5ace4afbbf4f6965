-- Forget the digest record of $day before storing a rebuilt one.
delete from digests where day = $day
