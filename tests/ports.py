"""Free loopback ports for tests that start servers, from a range a machine can reserve.

Each caller has its own default range and an environment variable to move it
(`lo-hi`, inclusive), so helpers sharing a machine stay in the ports they were
given and two xdist workers do not race for the same range.
"""

import os
import socket

import pytest


def port_range(variable: str, default: range) -> range:
    value = os.environ.get(variable, "")
    if not value:
        return default
    low, sep, high = value.partition("-")
    if not (sep and low.isdigit() and high.isdigit() and int(low) <= int(high)):
        pytest.fail(f"{variable}={value!r}: give a range like 18100-18199")
    return range(int(low), int(high) + 1)


def free_ports(variable: str, default: range, count: int = 1) -> list[int]:
    """`count` ports nobody listens on now, in the range (bound, then released)."""
    found = []
    for port in port_range(variable, default):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    pytest.fail(f"fewer than {count} free ports in {variable} range {port_range(variable, default)}")
