"""Makes the `dojo` package of the build tree importable.

The build directory comes from $DOJO_BUILD_DIR (set by ctest), else
<repo>/build.
"""

import os
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("DOJO_BUILD_DIR", REPO / "build"))
PYTHON_DIR = BUILD / "python"

if not (PYTHON_DIR / "dojo" / "__init__.py").exists():
    raise RuntimeError(
        f"no dojo package in {PYTHON_DIR}: build first (scripts/build.sh) "
        "or set DOJO_BUILD_DIR")
sys.path.insert(0, str(PYTHON_DIR))
