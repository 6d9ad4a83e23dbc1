"""Ships the module's data/ inside the package, so `pip install .` (not only an editable
install from a clone) gives notebooks their data. Everything else is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = Path(__file__).resolve().parent / "data"


class build_py_with_data(build_py):
    def run(self):
        super().run()
        if not self.editable_mode:
            target = Path(self.build_lib) / "kabulcase" / "_data"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(DATA, target)


setup(cmdclass={"build_py": build_py_with_data})
