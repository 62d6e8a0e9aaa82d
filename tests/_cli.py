"""Helpers shared by the tests that drive the command line."""


def one_error_line(result) -> str:
    """A failed command printed exactly one ``Error: …`` line and nothing on stdout (exit 2)."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]
