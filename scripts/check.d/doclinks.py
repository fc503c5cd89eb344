#!/usr/bin/env python3
"""Checks the project's Markdown: every relative link names a file (and heading) in the
repository, and nothing points outside it (the project must stand on its own).

Usage: doclinks.py ROOT   — prints one line per problem, exits 1 if there is any.
"""
import os
import re
import subprocess
import sys
import unicodedata

root = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else ".")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|!\[[^\]]*\]\(([^)\s]+)\)")
OUTSIDE_WORDS = re.compile(r"\bshared/mission\b|\bDESIGN\.md\b|\bBRIEF\.md\b")


def tracked(pattern_exts):
    out = subprocess.run(["git", "-C", root, "ls-files"], capture_output=True, text=True, check=True)
    return [f for f in out.stdout.splitlines() if f.endswith(pattern_exts)]


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    h = re.sub(r"[`*_]|<[^>]+>", "", heading.strip().lower())
    h = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", h)
    h = "".join(ch for ch in h if ch in " -_" or unicodedata.category(ch)[0] in "LNM")
    return h.replace(" ", "-")


def anchors(path, cache={}):
    if path not in cache:
        found, seen, fence = set(), {}, False
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.lstrip().startswith("```"):
                    fence = not fence
                if fence:
                    continue
                m = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
                if m:
                    s = slug(m.group(1))
                    n = seen.get(s, 0)
                    seen[s] = n + 1
                    found.add(s if n == 0 else f"{s}-{n}")
                for a in re.findall(r'<a (?:name|id)="([^"]+)"', line):
                    found.add(a)
        cache[path] = found
    return cache[path]


problems = []
for md in tracked((".md",)):
    if "/node_modules/" in md:
        continue
    path = os.path.join(root, md)
    fence = False
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    for no, line in enumerate(lines, 1):
        if line.lstrip().startswith("```"):
            fence = not fence
        if OUTSIDE_WORDS.search(line):
            problems.append(f"{md}:{no}: points outside the repository: {line.strip()[:100]}")
        if fence:
            continue
        for m in LINK.finditer(line):
            target = m.group(1) or m.group(2)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):   # http:, mailto:, …
                continue
            file_part, _, anchor = target.partition("#")
            dest = os.path.realpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
            if not (dest == root or dest.startswith(root + os.sep)):
                problems.append(f"{md}:{no}: link leaves the repository: {target}")
                continue
            if not os.path.exists(dest):
                problems.append(f"{md}:{no}: dead link: {target}")
                continue
            if anchor and dest.endswith(".md") and anchor not in anchors(dest):
                problems.append(f"{md}:{no}: no heading '#{anchor}' in {os.path.relpath(dest, root)}")

# Code and configuration must not send the reader outside the repository either.
for src in tracked((".java", ".js", ".yaml", ".yml", ".xml", ".sh", ".sql", ".py", ".lua")) + ["scripts/run", "scripts/test", "scripts/db", "scripts/bench", "scripts/check"]:
    if "/node_modules/" in src or not os.path.exists(os.path.join(root, src)):
        continue
    if src.endswith("doclinks.py"):
        continue
    with open(os.path.join(root, src), encoding="utf-8", errors="replace") as f:
        for no, line in enumerate(f, 1):
            if OUTSIDE_WORDS.search(line):
                problems.append(f"{src}:{no}: points outside the repository: {line.strip()[:100]}")

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
