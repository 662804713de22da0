"""README must document every CLI subcommand and option (fails when one is missing)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
_SUB = main.build_parser()._subparsers._group_actions[0].choices


@pytest.mark.parametrize("command", sorted(_SUB))
def test_subcommand_in_readme(command):
    assert re.search(rf"main\.py {re.escape(command)}\b", README), f"README does not document `main.py {command}`"


@pytest.mark.parametrize(
    "command,option",
    sorted(
        (name, opt)
        for name, sub in _SUB.items()
        for action in sub._actions
        for opt in action.option_strings
        if opt.startswith("--") and opt != "--help"
    ),
)
def test_option_in_readme(command, option):
    assert option in README, f"README does not mention `{option}` of `main.py {command}`"


def test_readme_has_exactly_two_setup_commands():
    block = re.search(r"## Set up\n(.*?)\n## ", README, re.S)
    assert block, "README needs a '## Set up' section"
    commands = re.findall(r"```(?:bash|sh)\n(.*?)```", block.group(1), re.S)
    assert len(commands) == 2 and all(c.strip().count("\n") == 0 for c in commands)


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    block = re.search(r"## Set up\n(.*?)\n## ", README, re.S).group(1)
    test_cmd = re.findall(r"```(?:bash|sh)\n(.*?)```", block, re.S)[1].strip()
    assert test_cmd in ci
