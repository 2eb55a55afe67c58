"""Log reviewers' screens: searching the PDL access log and following up samples of it."""
