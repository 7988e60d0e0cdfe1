"""The shipped templates and stylesheets, and the Jinja environment that renders them."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import (
    BytecodeCache, Environment, FileSystemBytecodeCache, FunctionLoader, select_autoescape,
)
from jinja2.bccache import Bucket

from trainkit import __version__
from trainkit.labels import format_minutes, numbered, titled
from trainkit.loading.seal import user_cache_dir


def read_resource(name: str) -> str:
    """A text file shipped in ``trainkit/resources``."""
    return resources.files("trainkit").joinpath("resources", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=FunctionLoader(lambda name: read_resource(f"templates/{name}")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True, lstrip_blocks=True, bytecode_cache=_template_cache())
    environment.globals["format_minutes"] = format_minutes
    environment.globals["numbered"] = numbered
    environment.globals["titled"] = titled
    return environment


class _TemplateCache(FileSystemBytecodeCache):
    """Jinja's compiled templates, kept between runs; a cache that cannot be written is
    only slower."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            return


def _template_cache() -> BytecodeCache | None:
    """Compiled templates in the user's cache folder (never the project's: the code there
    is loaded and run). Compiling them took about 25 ms per process."""
    folder = user_cache_dir() / f"templates-{__version__}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return _TemplateCache(str(folder))


def render_template(name: str, context: dict[str, Any]) -> str:
    """Render one of the shipped templates with ``context``."""
    return _environment().get_template(name).render(context)
