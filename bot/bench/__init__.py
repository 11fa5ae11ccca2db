"""`drama-bot bench`: a synthetic catalog, a fixed query mix, and measurements beside a baseline."""
