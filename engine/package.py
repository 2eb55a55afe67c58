"""A program package: BPMN files, forms, texts, pictures and metadata, checked as one unit.

The content hash of a package is its identity: the same files give the same version, stored once.
Texts (``texts/<name>.md``, module pages) must be UTF-8; pictures (``media/<name>.png|jpg|webp``)
must be what their name says, judged by their first bytes, and small. A version stores its files
as text, so a picture is kept as base64 (``stored_files``, ``stored_media``).
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from engine import loop_scripts, rules, spiff, timers_iso, xmlsafe
from engine.bpmn_xml import nearest_id, q
from engine.errors import Problem, ValidationFailed

MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}
PACKAGE_SUFFIXES = {".bpmn", ".form", ".md", ".json", *MEDIA_TYPES}
MEDIA_PATH = re.compile(r"^media/[A-Za-z0-9][A-Za-z0-9_-]{0,80}\.(?:png|jpe?g|webp)$")
TEXT_PATH = re.compile(r"^texts/[a-z0-9][a-z0-9_-]{0,80}\.md$")
MAX_MEDIA_BYTES = 1024 * 1024
MAX_TEXT_CHARS = 20_000  # as for instructions written in the BPMN
STORED_MEDIA_PREFIX = "base64:"
MAX_PACKAGE_BYTES = 10 * 1024 * 1024
METADATA_FILE = "program.json"


@dataclass
class CheckedPackage:
    """A package that passed every rule, ready to store."""

    files: dict[str, bytes]
    content_hash: str
    metadata: dict
    main_process: str
    spec_json: str
    task_roles: dict[str, str]
    task_forms: dict[str, str]
    task_names: dict[str, str] = field(default_factory=dict)


def read_paths(paths: list[str | Path]) -> dict[str, bytes]:
    """Files of a package folder, or of single BPMN files (their folder's BPMN files may be called)."""
    files: dict[str, bytes] = {}
    for path in map(Path, paths):
        if path.is_dir():
            for item in sorted(path.rglob("*")):
                # "scenarios" inside the package only: a checkout under a folder of that name is fine
                if item.is_file() and item.suffix in PACKAGE_SUFFIXES and "scenarios" not in item.relative_to(path).parts:
                    files[item.relative_to(path).as_posix()] = item.read_bytes()
        elif path.is_file():
            files[path.name] = path.read_bytes()
            for form in sorted(path.parent.glob("forms/*.form")):
                files.setdefault(f"forms/{form.name}", form.read_bytes())
        else:
            raise FileNotFoundError(str(path))
    return files


def content_hash(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def check(files: dict[str, bytes], builtin_forms: frozenset[str] = frozenset(),
          field_keys: frozenset[str] = frozenset()) -> CheckedPackage:
    """Validate every rule and parse; raise ValidationFailed listing every problem.
    ``field_keys``: the keys of the package's form fields, which become task data."""
    problems: list[Problem] = []
    if sum(len(v) for v in files.values()) > MAX_PACKAGE_BYTES:
        raise ValidationFailed([Problem("(package)", "(package)", "the package is larger than 10 MB")])
    trees = {}
    for name in sorted(n for n in files if n.endswith(".bpmn")):
        tree, found = _parse_one(name, files[name])
        problems += found
        if tree is not None:
            trees[name] = tree
    if not files or not any(n.endswith(".bpmn") for n in files):
        problems.append(Problem("(package)", "(package)", "the package has no BPMN file"))
    forms = {Path(n).name for n in files if n.endswith(".form")} | set(builtin_forms)
    problems += rules.check_package(trees, forms, field_keys)
    problems += _text_and_media_problems(files)
    metadata, found = _metadata(files)
    problems += found
    if problems:
        raise ValidationFailed(problems)
    # Looped steps run their scripts per round; the stored files say so (engine/loop_scripts.py).
    return _build(loop_scripts.mark_package(files, trees), trees, metadata)


def media_type(name: str, data: bytes) -> str | None:
    """The picture's type when its first bytes agree with its name, else None."""
    kind = MEDIA_TYPES.get(Path(name).suffix.lower())
    signatures = {"image/png": data[:8] == b"\x89PNG\r\n\x1a\n", "image/jpeg": data[:3] == b"\xff\xd8\xff",
                  "image/webp": data[:4] == b"RIFF" and data[8:12] == b"WEBP"}
    return kind if kind and signatures[kind] else None


def _text_and_media_problems(files) -> list[Problem]:
    problems = []
    for name, data in sorted(files.items()):
        if Path(name).suffix.lower() in MEDIA_TYPES:
            if not MEDIA_PATH.match(name):
                problems.append(Problem(name, "(file)", "pictures belong in media/ with a name of letters, digits, - and _"))
            elif len(data) > MAX_MEDIA_BYTES:
                problems.append(Problem(name, "(file)", f"the picture is larger than {MAX_MEDIA_BYTES // 1024} kB"))
            elif media_type(name, data) is None:
                problems.append(Problem(name, "(file)", "the file is not the kind of picture its name says (png, jpeg or webp)"))
        elif name.startswith("texts/"):
            problems += _text_problems(name, data)
    return problems


def _text_problems(name: str, data: bytes) -> list[Problem]:
    if not TEXT_PATH.match(name):
        return [Problem(name, "(file)", "texts are texts/<name>.md with a name of small letters, digits, - and _")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return [Problem(name, "(file)", "the text is not UTF-8")]
    return [Problem(name, "(file)", f"the text is longer than {MAX_TEXT_CHARS} characters")] \
        if len(text) > MAX_TEXT_CHARS else []


def stored_files(files: dict[str, bytes]) -> dict[str, str]:
    """The files as a version stores them: text as text, pictures as base64."""
    return {name: STORED_MEDIA_PREFIX + base64.b64encode(data).decode("ascii")
            if Path(name).suffix.lower() in MEDIA_TYPES else data.decode("utf-8", errors="replace")
            for name, data in files.items()}


def restored_files(stored: dict[str, str]) -> dict[str, bytes]:
    """The files as they were checked, from what a version stores (the inverse of stored_files)."""
    return {name: base64.b64decode(text[len(STORED_MEDIA_PREFIX):])
            if Path(name).suffix.lower() in MEDIA_TYPES and text.startswith(STORED_MEDIA_PREFIX)
            else text.encode("utf-8") for name, text in stored.items()}


def rebuild(files: dict[str, bytes]) -> CheckedPackage:
    """Parse a stored version's files again, without the rules (they passed when it was stored):
    what the version's compiled logic must be. The files are compiled as stored, never marked
    again: a version stored before loop scripts were marked keeps the spec it was stored with."""
    trees = {name: xmlsafe.parse(files[name]) for name in sorted(files) if name.endswith(".bpmn")}
    metadata, _problems = _metadata(files)
    return _build(files, trees, metadata)


def stored_media(stored: dict[str, str], name: str) -> tuple[bytes, str] | None:
    """A stored version's picture and its type; None if the version has no such picture."""
    text = stored.get(name) if MEDIA_PATH.match(name) else None
    if not text or not text.startswith(STORED_MEDIA_PREFIX):
        return None
    data = base64.b64decode(text[len(STORED_MEDIA_PREFIX):])
    kind = media_type(name, data)
    return (data, kind) if kind else None


def _parse_one(name, data):
    try:
        tree = xmlsafe.parse(data)
    except xmlsafe.XmlRejected as err:
        where = f"line {err.line}" if err.line else "(document)"
        return None, [Problem(name, where, err.reason)]
    errors = spiff.xsd_errors(tree)
    return tree, [Problem(name, nearest_id(el) if el is not None else f"line {line}", f"BPMN schema: {_short(msg)}")
                  for el, line, msg in errors]


def _short(message: str) -> str:
    """lxml names elements as {namespace}tag; designers know them as bpmn:tag."""
    return message.replace("{http://www.omg.org/spec/BPMN/20100524/MODEL}", "bpmn:")


def _metadata(files):
    raw = files.get(METADATA_FILE)
    if raw is None:
        return {}, []
    try:
        data = json.loads(raw)
    except ValueError as err:
        return {}, [Problem(METADATA_FILE, "(document)", f"not valid JSON ({err})")]
    if not isinstance(data, dict):
        return {}, [Problem(METADATA_FILE, "(document)", "must be a JSON object")]
    return data, []


def _build(files, trees, metadata) -> CheckedPackage:
    main, problems = _main_process(trees, metadata)
    if problems:
        raise ValidationFailed(problems)
    roles, forms_of, names = {}, {}, {}
    for tree in trees.values():
        root = tree.getroot()
        for task_id, (_lane, role) in rules.lane_roles(root).items():
            roles[task_id] = role
        for task in root.iter(q("userTask"), q("manualTask")):
            forms_of[task.get("id")] = rules.form_of(task)
            names[task.get("id")] = task.get("name") or task.get("id")
        timers_iso.quote_literals(root)
    try:
        spec, subs = spiff.parse_specs(trees, main)
    except ValidationException as err:
        raise ValidationFailed([Problem(err.file_name or "(package)", err.id or "(document)", str(err.args[0]) if err.args else str(err))]) from None
    return CheckedPackage(
        files=files, content_hash=content_hash(files), metadata=metadata, main_process=main,
        spec_json=spiff.spec_to_json(spec, subs), task_roles=roles, task_forms=forms_of, task_names=names,
    )


def _main_process(trees, metadata):
    declared = metadata.get("main_process")
    ids = [p.get("id") for t in trees.values() for p in t.getroot().iter(q("process"))]
    called = {c.get("calledElement") for t in trees.values() for c in t.getroot().iter(q("callActivity"))}
    if declared:
        if declared not in ids:
            return None, [Problem(METADATA_FILE, "main_process", f"'{declared}' is not a process in this program")]
        return declared, []
    top = [p for p in ids if p not in called]
    if len(top) == 1:
        return top[0], []
    return None, [Problem(METADATA_FILE, "main_process", f"name the main process: several candidates {sorted(top)}")]
