"""End-to-end tests: the real DramaBot against the local Discord stand-in over real sockets."""
