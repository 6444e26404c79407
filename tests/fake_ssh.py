"""Stands in for ssh in tests: runs the remote command on this machine.

Called like ssh (``fake_ssh.py [options] [user@]host command…``), it drops
the options and the host and runs the command string with ``sh -c``, as
sshd runs it with the user's shell. rsync's remote mode (``rsync --server``
over the "ssh" pipe) works through it unchanged, so a ``user@host:path``
deploy is tested end to end except for the network.
"""

import os
import sys

WITH_VALUE = {"-l", "-p", "-i", "-o", "-F", "-J", "-b", "-c", "-m", "-E"}

args = sys.argv[1:]
while args and args[0].startswith("-"):
    option = args.pop(0)
    if option in WITH_VALUE and args:
        args.pop(0)
host, command = args[0], " ".join(args[1:])
os.execvp("sh", ["sh", "-c", command])
