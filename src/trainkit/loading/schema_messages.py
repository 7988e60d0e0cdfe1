"""Pydantic validation errors turned into located, plain-language diagnostics.

One mistake gives one finding: a misspelt required key (``ttle:``) is reported as the
unknown key it is, with "did you mean `title`?", not also as `title` missing. And what
is valid in a document with errors can still be used (``valid_fields``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from trainkit.bidi import contains_message, first_control, visible
from trainkit.diagnostics import Diagnostic
from trainkit.loading.strict_yaml import LoadedYaml, Path_
from trainkit.text import closest, suggestion

_TYPE_NAMES = {
    "string_type": "text", "list_type": "a list", "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values", "model_attributes_type":
    "a mapping of keys to values", "bool_type": "true or false", "int_type": "a whole number",
}


def validate_model(
    model: type[BaseModel], loaded: LoadedYaml, path: str,
) -> tuple[Any, list[Diagnostic]]:
    """Validate ``loaded.value`` against ``model``: the instance (or None) and findings."""
    try:
        return model.model_validate(loaded.value), []
    except ValidationError as error:
        errors = error.errors()
        misspelt = _misspelt_keys(errors, model, loaded.value)
        findings = [_diagnostic(item, model, loaded, path) for item in errors
                    if not _is_misspelt(item, loaded.value, misspelt)]
        return None, findings


def valid_fields(model: type[BaseModel], value: Mapping[str, Any]) -> dict[str, Any]:
    """Each field of ``model`` that ``value`` gives validly, validated on its own.

    For a document with errors: what it says rightly can still be used, e.g. by the
    checks across files, instead of nothing.
    """
    found: dict[str, Any] = {}
    for name in model.model_fields:
        if name not in value:
            continue
        try:
            found[name] = _field_adapter(model, name).validate_python(value[name])
        except ValidationError:
            continue
    return found


@lru_cache(maxsize=None)
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    return TypeAdapter(Annotated[info.annotation, info])  # type: ignore[arg-type]


def _misspelt_keys(errors: list[ErrorDetails], model: type[BaseModel],
                   value: Any) -> set[Path_]:
    """The paths of the required keys that an unknown key beside them misspells."""
    found: set[Path_] = set()
    for item in errors:
        if item["type"] != "extra_forbidden":
            continue
        data_path = _data_path(value, item["loc"])
        if not data_path:
            continue
        meant = closest(str(data_path[-1]), _known_keys(model, data_path[:-1]))
        if meant is not None:
            found.add((*data_path[:-1], meant))
    return found


def _is_misspelt(item: ErrorDetails, value: Any, misspelt: set[Path_]) -> bool:
    """Whether ``item`` says a key is missing that a misspelt key stands for."""
    return item["type"] == "missing" and _data_path(value, item["loc"]) in misspelt


def _diagnostic(item: ErrorDetails, model: type[BaseModel], loaded: LoadedYaml,
                path: str) -> Diagnostic:
    data_path = _data_path(loaded.value, item["loc"])
    field = visible(".".join(str(part) for part in data_path)) or "the document"
    kind = item["type"]
    on_key = kind == "extra_forbidden" or item["loc"][-1:] == ("[key]",)
    control = _bidi_control(item, data_path)
    if control is not None:  # an id or a fixed word: what is wrong is invisible
        pos = loaded.position(data_path, key=on_key)
        return Diagnostic(path, pos.line, pos.column, "TK511",
                          contains_message(f"`{field}`", control), _BIDI_HINT)
    if kind == "extra_forbidden":
        pos = loaded.position(data_path, key=True)
        key = visible(str(data_path[-1])) if data_path else "?"
        known = _known_keys(model, data_path[:-1])
        hint = suggestion(key, known) or ("known keys: " + ", ".join(known) if known else None)
        return Diagnostic(path, pos.line, pos.column, "TK201", f"unknown key `{key}`", hint)
    if kind == "missing":
        parent = data_path[:-1] if data_path else ()
        pos = loaded.position(parent)
        missing = str(item["loc"][-1])
        where = f" in `{'.'.join(map(str, parent))}`" if parent else ""
        return Diagnostic(path, pos.line, pos.column, "TK202",
                          f"required key `{missing}` is missing{where}")
    pos = loaded.position(data_path, key=on_key)
    code, message, hint = _describe(kind, field, item)
    return Diagnostic(path, pos.line, pos.column, code, message, hint)


_BIDI_HINT = ("retype the value without it: ids and other names use only plain letters, "
              "digits and hyphens")


def _bidi_control(item: ErrorDetails, data_path: Path_) -> str | None:
    """The bidirectional control in the refused value (or key), if there is one."""
    given = item.get("input")
    if isinstance(given, str):
        found = first_control(given)
        if found is not None:
            return found
    if item["type"] == "extra_forbidden" and data_path:
        return first_control(str(data_path[-1]))
    return None


def _describe(kind: str, field: str, item: ErrorDetails) -> tuple[str, str, str | None]:
    given = item.get("input")
    ctx = item.get("ctx") or {}
    if kind in _TYPE_NAMES:
        return ("TK203", f"`{field}` must be {_TYPE_NAMES[kind]}, not {_shape(given)}",
                _type_hint(kind, given))
    if kind == "string_too_short":
        return "TK203", f"`{field}` must not be empty", None
    if kind == "too_short":
        if isinstance(given, (list, dict)):
            return "TK203", f"`{field}` needs at least {ctx.get('min_length', 1)} entry", None
        return "TK203", f"`{field}` must not be empty", None
    if kind == "enum" or kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "`")
        return "TK203", f"`{field}` is `{given}`, which is not one of {expected}", None
    if kind == "string_pattern_mismatch":
        return "TK203", f"`{field}` is `{given}`, which is not allowed here", _pattern_hint(field)
    if kind.startswith("date"):
        reason = str(ctx.get("error", "")).replace("_", " ")
        return ("TK205", f"`{field}` is `{given}`, which is not a real date"
                + (f" ({reason})" if reason else ""), "write the date as YYYY-MM-DD")
    if kind == "value_error":
        message = str(ctx.get("error", item["msg"]))
        code = "TK204" if "duration" in message or field.endswith("duration") else "TK203"
        return code, f"`{field}`: {message}", None
    return "TK203", f"`{field}`: {item['msg']}", None


def _type_hint(kind: str, given: object) -> str | None:
    if kind == "bool_type" and isinstance(given, str):
        return "write true or false (words such as yes, no, on and off are kept as text)"
    if kind == "string_type" and isinstance(given, bool):
        return "put the value in quotes to keep it as text"
    if kind == "list_type" and isinstance(given, str):
        return f"write a list, e.g. [{given}]"
    return None


def _pattern_hint(field: str) -> str:
    last = field.rsplit(".", 1)[-1]
    if last in ("version",):
        return 'write numbers separated by dots, e.g. "1.2"'
    if last in ("languages", "language") or field.startswith("languages"):
        return "use a language code such as en, fr or ar"
    if last in ("variables",) or ".variables" in field or field.startswith("variables"):
        return "variable names are lower-case words joined by underscores"
    return "ids are lower-case words joined by hyphens, e.g. north-africa"


def _shape(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"`{value}`"


def _data_path(value: Any, loc: Sequence[int | str]) -> Path_:
    """The part of a Pydantic ``loc`` that addresses the data (drops union and tag names)."""
    path: list[str | int] = []
    current = value
    for index, part in enumerate(loc):
        if part in _TAGS and index < len(loc) - 1:
            continue  # a union member's tag (``part`` is both a tag and a key of a part)
        if isinstance(current, dict) and part in current:
            current = current[part]
            path.append(part)
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
            path.append(part)
        elif isinstance(current, dict) and isinstance(part, str) and (
                part not in _TAGS or part in _FIELD_TAGS):
            path.append(part)
            current = None
    return tuple(path)


_TAGS = {"file", "part", "str", "list[str]", "none", "function-after[_check_duration(), str]",
         "objective-text", "objective-entry"}
_FIELD_TAGS = {"file", "part"}  # tags that are also field names (ModuleAddition.file, Part.part)


def _known_keys(model: type[BaseModel], path: Path_) -> list[str]:
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        field = next((f for name, f in fields.items() if (f.alias or name) == part), None)
        if field is None:
            return []
        current = _model_in(field.annotation)
    return [field.alias or name
            for name, field in getattr(current, "model_fields", {}).items()]


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
