#!/usr/bin/env python3
"""Compares the public API declared by two libcoap include trees.

Usage: abi_compare.py REFERENCE_INCLUDE OUR_INCLUDE [EXTRA_OUR_INCLUDE...]

Both trees must hold coap3/coap.h. Compared, for one translation unit that
includes coap3/coap.h:
  * function declarations (text of gcc -aux-info, whitespace-normalised)
  * struct and union layouts: every member's name, type, offset and size,
    and the total size (from DWARF, read with pahole)
  * enumerator values (from DWARF)
  * macros: the set of COAP*/LIBCOAP* names defined, function-like or
    object-like, and the integer value of each object-like macro that is an
    integer constant expression.
Include guards and macros that only describe how a library was built
(COAP_WITH_LIB*, ...) are not part of the API and are skipped. A macro that
our coap.h defines and the reference's does not is reported too: it can
change how a program compiles.
Exit status 0 when nothing differs. Needs gcc, pahole and readelf.
"""
import os
import re
import subprocess
import sys
import tempfile

SOURCE = "#include <coap3/coap.h>\n"
SKIP_MACRO = re.compile(
    r"^(COAP_\w*_H_|COAP_H_|COAP_WITH_LIB\w+|COAP_THREAD_RECURSIVE_CHECK|COAP_MAX_LOGGING_LEVEL)$")
API_NAME = re.compile(r"^(coap|oscore|_coap)", re.I)


def sh(cmd, check=True):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit("abi_compare: command failed: %s\n%s" % (" ".join(cmd), r.stderr[-4000:]))
    return r


def gcc(includes, *args):
    cmd = ["gcc", "-std=gnu11", "-D_GNU_SOURCE"]
    for inc in includes:
        cmd += ["-I", inc]
    return cmd + list(args)


def functions(includes, tmp):
    src = os.path.join(tmp, "f.c")
    aux = os.path.join(tmp, "f.aux")
    with open(src, "w") as f:
        f.write(SOURCE)
    sh(gcc(includes, "-aux-info", aux, "-c", src, "-o", os.devnull))
    out = {}
    with open(aux) as f:
        for line in f:
            if "/coap3/" not in line:
                continue
            decl = line.split("*/", 1)[1].strip()
            # Inline definitions carry an old-style parameter comment.
            decl = decl.split("/*", 1)[0].strip()
            m = re.search(r"\b((?:_?coap|oscore)\w*)\s*\(", decl)
            if not m:
                continue
            decl = re.sub(r"\b(extern|static|inline)\b", "", decl)
            out[m.group(1)] = re.sub(r"\s+", " ", decl).strip()
    return out


def dwarf_object(includes, tmp):
    src = os.path.join(tmp, "t.c")
    obj = os.path.join(tmp, "t.o")
    with open(src, "w") as f:
        f.write(SOURCE)
    sh(gcc(includes, "-g", "-fno-eliminate-unused-debug-types", "-c", src, "-o", obj))
    return obj


def layouts(obj):
    """struct/union name -> list of 'type name @offset size' plus total size."""
    out = {}
    text = sh(["pahole", obj]).stdout
    block = []
    for line in text.splitlines():
        if not line.strip():
            continue
        block.append(line)
        if line.startswith("}"):
            head = re.match(r"(struct|union) (\w+)", block[0])
            if head and API_NAME.match(head.group(2)):
                fields = []
                for l in block[1:]:
                    m = re.match(r"\s*(.*?);\s*/\*\s*(\d+)\s+(\d+)\s*\*/", l)
                    if m and "XXX" not in l:
                        fields.append("%s @%s +%s" % (re.sub(r"\s+", " ", m.group(1)), m.group(2), m.group(3)))
                size = re.search(r"size:\s*(\d+)", "\n".join(block))
                fields.append("size %s" % (size.group(1) if size else "?"))
                out["%s %s" % head.groups()] = fields
            block = []
    return out


def enumerators(obj):
    out = {}
    name = None
    for line in sh(["readelf", "--debug-dump=info", obj]).stdout.splitlines():
        if "DW_TAG_" in line:
            name = None
        m = re.search(r"DW_AT_name\s*:\s*(?:\(.*?\):\s*)?(\w+)\s*$", line)
        if m:
            name = m.group(1)
            continue
        m = re.search(r"DW_AT_const_value\s*:\s*(-?\d+)", line)
        if m and name and re.match(r"(COAP|coap|OSCORE)", name):
            out[name] = int(m.group(1))
    return out


def macros(includes, tmp):
    src = os.path.join(tmp, "m.c")
    with open(src, "w") as f:
        f.write(SOURCE)
    out = {}
    for line in sh(gcc(includes, "-dM", "-E", src)).stdout.splitlines():
        m = re.match(r"#define ((?:COAP|LIBCOAP|coap)\w*)(\([^)]*\))?", line)
        if m and not SKIP_MACRO.match(m.group(1)):
            out[m.group(1)] = "function-like" if m.group(2) is not None else "object-like"
    return out


def macro_values(includes, tmp, names):
    """Values of the object-like macros that are integer constants here."""
    usable = []
    for n in names:
        src = os.path.join(tmp, "probe.c")
        with open(src, "w") as f:
            f.write(SOURCE + "enum { probe_value = (int)(0 ? 0 : (%s)) };\n" % n)
        if sh(gcc(includes, "-fsyntax-only", src), check=False).returncode == 0:
            usable.append(n)
    if not usable:
        return {}
    src = os.path.join(tmp, "values.c")
    exe = os.path.join(tmp, "values")
    with open(src, "w") as f:
        f.write(SOURCE + "#include <stdio.h>\nint main(void) {\n")
        for n in usable:
            f.write('  printf("%%s %%lld\\n", "%s", (long long)(%s));\n' % (n, n))
        f.write("  return 0;\n}\n")
    sh(gcc(includes, src, "-o", exe))
    vals = {}
    for line in sh([exe]).stdout.splitlines():
        k, v = line.split()
        vals[k] = int(v)
    return vals


def describe(includes):
    with tempfile.TemporaryDirectory() as tmp:
        obj = dwarf_object(includes, tmp)
        d = {
            "functions": functions(includes, tmp),
            "layouts": layouts(obj),
            "enumerators": enumerators(obj),
            "macros": macros(includes, tmp),
        }
        d["values"] = macro_values(includes, tmp, [n for n, k in d["macros"].items() if k == "object-like"])
    return d


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ref = describe([sys.argv[1]])
    our = describe(sys.argv[2:])
    problems = []

    def compare(kind, a, b):
        for name in sorted(a):
            if name not in b:
                problems.append("%s missing: %s" % (kind, name))
            elif a[name] != b[name]:
                problems.append("%s differs: %s\n    reference: %s\n    ours:      %s" % (kind, name, a[name], b[name]))

    compare("function", ref["functions"], our["functions"])
    compare("layout", ref["layouts"], our["layouts"])
    compare("enumerator", ref["enumerators"], our["enumerators"])
    compare("macro", ref["macros"], our["macros"])
    for name, value in sorted(ref["values"].items()):
        if name in our["values"] and our["values"][name] != value:
            problems.append("macro value differs: %s reference=%d ours=%d" % (name, value, our["values"][name]))
        elif name in our["macros"] and name not in our["values"]:
            problems.append("macro value differs: %s reference=%d ours is not an integer constant" % (name, value))
    for name in sorted(set(our["macros"]) - set(ref["macros"])):
        problems.append("macro extra (not in the reference): %s" % name)

    for p in problems:
        print(p)
    total = sum(len(ref[k]) for k in ("functions", "layouts", "enumerators", "macros"))
    print("abi_compare: %d functions, %d struct/union layouts, %d enumerators, %d macros (%d values) compared; %d differences"
          % (len(ref["functions"]), len(ref["layouts"]), len(ref["enumerators"]), len(ref["macros"]),
             len(ref["values"]), len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
