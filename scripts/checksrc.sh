#!/usr/bin/env bash
# checksrc.sh - source rules CI enforces (STYLE.md §2.9, §2.10; curl's
# scripts/checksrc.pl and scripts/top-length).
#
#   scripts/checksrc.sh [-q] [FILE|DIR...]
#
# Default: every .c and .h under core/ formats/ analyzer/ models/ reports/
# (not tests/, fuzz/, bench/). -q prints errors only.
#
# Errors (exit 1):
#   - a call to a banned function: sscanf, atoi, atol, strtol, strtoul,
#     strtok, strcpy, strncpy, sprintf, gets (and their siblings vsscanf,
#     atoll, strtoll, strtoull, strtok_r, strcat, strncat, vsprintf);
#     snprintf, vsnprintf and fgets are fine. A deliberate use needs
#     "checksrc: allow" in a comment on the same line, with the reason;
#   - a function longer than 150 lines;
#   - a file longer than 1000 lines.
# Warnings (reported, exit status unchanged):
#   - a function longer than 60 lines;
#   - a function whose complexity (1 + if/for/while/case/&&/||/?) is over
#     25 (curl's top-complexity idea, a rough count);
#   - a line wider than 80 columns (tabs at 8).
# Function length counts the lines from its opening brace to its closing
# brace. Comments, strings and character literals are blanked before
# matching, so a comment that names sscanf is not a call.
#
# Output: "file:line: error|warning: message", then a count.
set -euo pipefail

quiet=0
if [ "${1:-}" = "-q" ]; then
  quiet=1
  shift
fi
defaults=0
if [ $# -eq 0 ]; then
  # The default folders are the repository's, wherever this is called from;
  # explicit paths are taken relative to the caller.
  cd "$(dirname "$0")/.."
  set -- core formats analyzer models reports
  defaults=1
fi

files=()
for p in "$@"; do
  if [ -d "$p" ]; then
    while IFS= read -r f; do files+=("$f"); done \
      < <(find "$p" -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
  elif [ -f "$p" ]; then
    files+=("$p")
  elif [ "$defaults" = 1 ]; then
    continue # a default folder that does not exist yet
  else
    echo "checksrc: $p: no such file or directory" >&2
    exit 2
  fi
done

if [ ${#files[@]} -eq 0 ]; then
  echo "checksrc: no source files"
  exit 0
fi

CHECKSRC_QUIET=$quiet exec python3 - "${files[@]}" <<'PY'
import os
import re
import sys

MAX_FILE_LINES = 1000
FAIL_FUNC_LINES = 150
WARN_FUNC_LINES = 60
WARN_COMPLEXITY = 25
MAX_COLUMNS = 80
BANNED = ("sscanf vsscanf atoi atol atoll strtol strtoul strtoll strtoull "
          "strtok strtok_r strcpy strncpy strcat strncat sprintf vsprintf "
          "gets").split()
BANNED_RE = re.compile(r"(?<![\w.>])(" + "|".join(BANNED) + r")\s*\(")
ALLOW = "checksrc: allow"
KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "do",
            "else", "case", "defined", "__attribute__", "_Alignof",
            "_Static_assert", "typeof", "__typeof__"}

quiet = os.environ.get("CHECKSRC_QUIET") == "1"
errors = warnings = 0


def report(path, line, kind, msg):
    global errors, warnings
    if kind == "error":
        errors += 1
    else:
        warnings += 1
        if quiet:
            return
    print(f"{path}:{line}: {kind}: {msg}")


def blank(text):
    """Comments, strings and char literals become spaces; newlines stay.
    Preprocessor lines (with continuations) are blanked too. Returns the
    code and, per line, whether a comment on it says 'checksrc: allow'."""
    out = []
    allow = set()
    i, n, line = 0, len(text), 1
    at_line_start = True
    while i < n:
        c = text[i]
        if c == "\n":
            out.append(c)
            line += 1
            i += 1
            at_line_start = True
            continue
        if at_line_start and c in " \t":
            out.append(c)
            i += 1
            continue
        if at_line_start and c == "#":
            # Directive: blank to the end of the logical line.
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    out.append(" \n")
                    line += 1
                    i += 2
                    continue
                out.append(" ")
                i += 1
            continue
        at_line_start = False
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            body = text[i:j]
            for k, part in enumerate(body.split("\n")):
                if ALLOW in part:
                    allow.add(line + k)
            out.append(re.sub(r"[^\n]", " ", body))
            line += body.count("\n")
            i = j
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            if ALLOW in text[i:j]:
                allow.add(line)
            out.append(" " * (j - i))
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + " " * (j - i - 2) + c if j - i >= 2 else c)
            i = j
            continue
        out.append(c)
        i += 1
    return "".join(out), allow


def func_name(header):
    """The name in a definition header: the identifier before the last
    parenthesised group that is not an attribute or an ALLCAPS macro."""
    best = None
    depth = 0
    for m in re.finditer(r"[A-Za-z_]\w*|[()]", header):
        tok = m.group(0)
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth -= 1
        elif depth == 0:
            nxt = header[m.end():].lstrip()
            if (nxt.startswith("(") and tok not in KEYWORDS
                    and not tok.isupper()):
                best = tok
    return best


def complexity(body):
    return 1 + len(re.findall(
        r"\b(if|for|while|case)\b|&&|\|\||\?", body))


def check_functions(path, code):
    """Top-level brace blocks whose header looks like a function."""
    depth = 0
    start = 0          # offset where the current top-level header began
    open_at = None     # (offset, line) of the function's '{'
    name = None
    line = 1
    for i, c in enumerate(code):
        if c == "\n":
            line += 1
        elif c == "{":
            if depth == 0:
                header = code[start:i]
                flat = " ".join(header.split())
                is_func = (")" in flat and "=" not in flat and
                           not re.match(r"^(typedef\b|struct|union|enum)\b"
                                        r"[^(]*$", flat))
                name = func_name(header) if is_func else None
                open_at = (i, line) if name else None
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                depth = 0
            if depth == 0:
                if open_at:
                    first = open_at[1]
                    length = line - first + 1
                    body = code[open_at[0]:i]
                    if length > FAIL_FUNC_LINES:
                        report(path, first, "error",
                               f"function {name}() is {length} lines "
                               f"(limit {FAIL_FUNC_LINES})")
                    elif length > WARN_FUNC_LINES:
                        report(path, first, "warning",
                               f"function {name}() is {length} lines "
                               f"(aim for {WARN_FUNC_LINES})")
                    cx = complexity(body)
                    if cx > WARN_COMPLEXITY:
                        report(path, first, "warning",
                               f"function {name}() has complexity {cx} "
                               f"(limit {WARN_COMPLEXITY})")
                open_at = None
                start = i + 1
        elif c == ";" and depth == 0:
            start = i + 1


def check_file(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError as e:
        report(path, 0, "error", f"cannot read: {e.strerror}")
        return
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) > MAX_FILE_LINES:
        report(path, len(lines), "error",
               f"file is {len(lines)} lines (limit {MAX_FILE_LINES})")
    for no, raw in enumerate(lines, 1):
        width = len(raw.expandtabs(8))
        if width > MAX_COLUMNS:
            report(path, no, "warning",
                   f"line is {width} columns (limit {MAX_COLUMNS})")
    code, allow = blank(text)
    for no, cl in enumerate(code.split("\n"), 1):
        for m in BANNED_RE.finditer(cl):
            if no not in allow:
                report(path, no, "error",
                       f"banned function {m.group(1)}() (STYLE.md §3); "
                       f"use sv_str_u64 / sv_cursor / snprintf")
    check_functions(path, code)


for p in sys.argv[1:]:
    check_file(p)
print(f"checksrc: {len(sys.argv) - 1} files, {errors} errors, "
      f"{warnings} warnings", file=sys.stderr)
sys.exit(1 if errors else 0)
PY
