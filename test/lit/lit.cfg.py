# lit configuration for the dojo test suites.
import os

import lit.formats

config.name = "dojo"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".test", ".s"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.dojo_obj_root, "test", "lit")

tool_dirs = [os.path.join(config.dojo_obj_root, "bin"), config.llvm_tools_dir,
             "/usr/lib/llvm-22/bin"]
config.environment["PATH"] = os.pathsep.join(
    tool_dirs + [config.environment.get("PATH", os.environ.get("PATH", ""))])
config.substitutions.append(("%examples", os.path.join(config.dojo_src_root, "examples")))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
