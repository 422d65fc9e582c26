"""Print the README's quick-start commands, so CI runs them exactly as a newcomer reads them.

``python .ci/readme_commands.py N`` prints the Nth shell command under "## Quick start".
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
commands = [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]
if len(commands) != 2 or any("\n" in command for command in commands):
    sys.exit(f"README: expected two one-line commands in the quick start, found {commands!r}")
print(commands[int(sys.argv[1]) - 1])
