#!/usr/bin/env python3
"""Checks the import graph against the module map of the design (docs/design.md / DESIGN.md).

Two checks, both on the `import` lines of Sources/:
1. Every module a target imports is declared in Package.swift (as a target or a product of a
   declared package); a system module (Foundation, Glibc, ...) is always allowed.
2. No target imports a module the map forbids. Edges the code still has from before the map
   (the re-cut is under way) are listed in scripts/import_debt.txt; the check fails on any edge
   that is neither allowed nor listed, and on a listed edge that is gone (so the list shrinks).

Usage: scripts/check_imports.py   (exit 1 with every offending edge and its file)
"""
import os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYSTEM = {"Foundation", "FoundationXML", "FoundationNetworking", "Glibc", "Darwin", "Musl", "Dispatch", "FoundationEssentials", "Synchronization", "_Concurrency"}

# The map: what each of Outcry's own targets may import (besides system modules).
LOWER = ["OutcryModel"]
ALLOWED = {
    "OutcryModel": set(),
    "CCurl": set(), "CLibXML2": set(),
    "OutcryFetch": {"CCurl", "OutcryModel"},
    "OutcryParse": {"CLibXML2", "OutcryModel"},
    "OutcryScoring": {"OutcryModel"},
    "OutcryContacts": {"OutcryModel"},
    "OutcryAlerting": {"OutcryModel", "Crypto", "Mustache"},
    "OutcryStore": {"OutcryModel", "SQLKit", "SQLiteKit", "SQLiteNIO", "PostgresKit", "PostgresNIO", "Logging", "Crypto"},
}
PURE_AND_STORE = {"OutcryModel", "OutcryFetch", "OutcryParse", "OutcryScoring", "OutcryContacts", "OutcryAlerting", "OutcryStore"}
ALLOWED["OutcryPipeline"] = PURE_AND_STORE | {"ServiceLifecycle", "Logging", "Crypto", "Metrics"}  # counts through the API; the web layer exports
ALLOWED["OutcryApp"] = PURE_AND_STORE | {"OutcryPipeline", "ServiceLifecycle", "Logging", "Yams", "Crypto"}
ALLOWED["OutcryWeb"] = {"OutcryApp", "OutcryModel", "Hummingbird", "HTTPTypes", "HummingbirdAuth", "HummingbirdBcrypt", "Mustache",
                        "NIOCore", "NIOFoundationCompat", "Logging", "Metrics", "Prometheus"}
ALLOWED["outcry"] = {"OutcryApp", "OutcryWeb", "OutcryModel", "ArgumentParser"}
# Tools (benchmarks, fuzzing) use the pure module they measure.
for tool, mods in {"outcry-bench-score": {"OutcryScoring", "OutcryModel"}, "outcry-bench-parse": {"OutcryParse", "OutcryModel"},
                   "outcry-bench-contacts": {"OutcryScoring", "OutcryContacts", "OutcryModel"},
                   "outcry-fuzz": {"OutcryParse", "OutcryModel"}}.items():
    ALLOWED[tool] = mods


def imports(target_dir):
    found = {}
    for base, _, files in os.walk(target_dir):
        for name in files:
            if not name.endswith(".swift"):
                continue
            path = os.path.join(base, name)
            for line in open(path, encoding="utf-8"):
                m = re.match(r"\s*(?:@testable\s+|@_exported\s+|public\s+|internal\s+|package\s+)?import\s+(?:struct\s+|class\s+|enum\s+|func\s+)?([A-Za-z_][A-Za-z0-9_]*)", line)
                if m:
                    found.setdefault(m.group(1), os.path.relpath(path, ROOT))
    return found


def declared_dependencies():
    """target name -> set of module names it declares (targets and products)."""
    text = open(os.path.join(ROOT, "Package.swift"), encoding="utf-8").read()
    deps = {}
    for m in re.finditer(r'\.(?:target|executableTarget|testTarget)\(\s*name:\s*"([^"]+)"(.*?)\)\s*,?\s*(?=\n\s*(?://.*\n\s*)*\.(?:target|executableTarget|testTarget)\(|\n\s*\]\s*\))', text, re.S):
        name, rest = m.group(1), m.group(2)
        d = re.search(r"dependencies:\s*\[(.*?)\]\s*(?:,|\))", rest, re.S)
        mods = set()
        if d:
            body = re.sub(r"//[^\n]*", "", d.group(1))
            # Every quoted name: targets, product names (and package names, which no module has).
            mods |= set(re.findall(r'"([^"]+)"', body))
        deps[name] = mods
    return deps


def main():
    debt_path = os.path.join(ROOT, "scripts", "import_debt.txt")
    debt = set()
    if os.path.exists(debt_path):
        for line in open(debt_path, encoding="utf-8"):
            line = line.split("#")[0].strip()
            if line:
                a, b = [x.strip() for x in line.split("->")]
                debt.add((a, b))
    declared = declared_dependencies()
    problems, seen_debt = [], set()
    sources = os.path.join(ROOT, "Sources")
    for target in sorted(os.listdir(sources)):
        target_dir = os.path.join(sources, target)
        if not os.path.isdir(target_dir):
            continue
        for module, where in sorted(imports(target_dir).items()):
            if module in SYSTEM:
                continue
            if target in declared and module not in declared[target]:
                problems.append(f"{where}: imports {module}, which Package.swift does not declare for {target}")
            allowed = ALLOWED.get(target)
            if allowed is None:
                problems.append(f"{where}: target {target} is not in the module map (scripts/check_imports.py)")
            elif module not in allowed:
                if (target, module) in debt:
                    seen_debt.add((target, module))
                else:
                    problems.append(f"{where}: {target} may not import {module} (module map)")
    for gone in sorted(debt - seen_debt):
        problems.append(f"scripts/import_debt.txt: {gone[0]} -> {gone[1]} no longer exists: remove the line")
    for p in problems:
        print(p)
    if problems:
        print(f"import graph: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"import graph: ok ({len(debt)} known edges of debt left in scripts/import_debt.txt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
