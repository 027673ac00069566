"""Small shared pieces: the state-machine core and its Django shell."""
