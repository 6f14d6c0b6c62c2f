# The self-hosted comment system arrives with its own issue.
