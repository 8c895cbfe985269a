#!/usr/bin/env python3
"""Cross-check every figure in content/ against the casebook's extracted text.

The seed is text pulled out of a PDF: page numbers survive only here and there.
We estimate the printed page of every line by linear interpolation between
anchors (case title pages from the table of contents, and the few lone page
numbers the extraction kept), then require that each figure's printed value
occurs within PAGE_TOLERANCE pages of the page the data names.

Usage:
  seedcheck.py page LINE                 estimated page of a seed line
  seedcheck.py find TEXT                 where TEXT (numbers normalised) occurs, with pages
  seedcheck.py check [SITE_ROOT]         check every figure in SITE_ROOT/content (exit 1 on failure)
Options: --seed PATH (default ../shared/seeds/000_36d7a86073e0eb52.txt beside the project)
"""
import os
import re
import sys
import tomllib

PAGE_TOLERANCE = 2
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SEED = os.path.join(HERE, "..", "..", "shared", "seeds", "000_36d7a86073e0eb52.txt")

# (line number, printed page) for each case's title page, from the table of contents.
# Lines found by searching for the case header ("PARTⅠ- 2") or, where the
# extraction lost it, the case's first heading.
CASE_STARTS = [
    (60, 5), (286, 15), (655, 27), (1440, 41), (2064, 53), (3024, 71), (3510, 83),
    (4034, 95), (4285, 105), (4870, 121), (5555, 137), (5829, 149), (5950, 157),
    (6373, 169), (6594, 179), (7025, 193),
]


def load_seed(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def anchors(lines):
    pts = dict(CASE_STARTS)
    for i, line in enumerate(lines, 1):
        s = line.strip()
        # Lone page numbers; the extraction keeps them at a page break.
        if re.fullmatch(r"\d{1,3}", s) and i > 40:
            pts.setdefault(i, int(s))
    return sorted(pts.items())


def page_of(line_no, pts):
    prev = pts[0]
    for ln, pg in pts:
        if ln == line_no:
            return pg
        if ln > line_no:
            l1, p1 = prev
            if ln == l1:
                return p1
            return round(p1 + (line_no - l1) * (pg - p1) / (ln - l1))
        prev = (ln, pg)
    return prev[1] + round((line_no - prev[0]) / 30)


NUM = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def numbers_in(text):
    """Every number printed in text, as a normalised decimal string."""
    return {norm(m.group(0)) for m in NUM.finditer(text)}


def norm(num):
    s = str(num).replace(",", "").replace("_", "")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def squash(text):
    return re.sub(r"[\s･·∙ㆍ]", "", text)


class Seed:
    def __init__(self, path):
        self.lines = load_seed(path)
        self.pts = anchors(self.lines)
        self.pages = {}
        for i, line in enumerate(self.lines, 1):
            self.pages.setdefault(page_of(i, self.pts), []).append(line)

    def window(self, page):
        out = []
        for p in range(page - PAGE_TOLERANCE, page + PAGE_TOLERANCE + 1):
            out.extend(self.pages.get(p, []))
        return "\n".join(out)


def figures(data):
    """Yield (label, page, [numbers], [texts]) for every figure in a program.toml / case.toml."""
    def num_or_text(v):
        if isinstance(v, (int, float)):
            return [norm(repr(v) if isinstance(v, float) else v)], []
        if isinstance(v, dict) and "ko" in v:
            return [], [v["ko"]]
        if isinstance(v, str):
            return [], [v]
        return [], []

    for b in data.get("budget", []):
        nums = [norm(b[k] if not isinstance(b[k], float) else repr(b[k])) for k in ("budget", "executed") if k in b]
        if "rate_printed" in b:
            nums.append(norm(repr(b["rate_printed"]) if isinstance(b["rate_printed"], float) else b["rate_printed"]))
        yield f"budget {b.get('year')}", b.get("page"), nums, []
    for k in data.get("kpi", []):
        nums, texts = [], []
        for key in ("target", "actual"):
            if key in k:
                n, t = num_or_text(k[key])
                nums += n
                texts += t
        if "rate_printed" in k:
            nums += num_or_text(k["rate_printed"])[0]
        yield f"kpi {k.get('id')}", k.get("page"), nums, texts
    for s in data.get("series", []):
        nums = []
        for p in s.get("points", []):
            nums += num_or_text(p.get("value"))[0]
        if "total_printed" in s:
            nums += num_or_text(s["total_printed"])[0]
        yield f"series {s.get('id')}", s.get("page"), nums, []
    for f in data.get("figure", []):
        n, t = num_or_text(f.get("value"))
        yield f"figure {f.get('id')}", f.get("page"), n, t


def check(root, seed):
    failures, count = [], 0
    for dirpath, _, files in sorted(os.walk(os.path.join(root, "content"))):
        for name in sorted(files):
            if name not in ("program.toml", "case.toml"):
                continue
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                data = tomllib.load(f)
            for label, page, nums, texts in figures(data):
                count += 1
                if page is None:
                    failures.append(f"{path}: {label}: no page")
                    continue
                window = seed.window(page)
                have = numbers_in(window)
                for n in nums:
                    if n not in have:
                        failures.append(f"{path}: {label}: {n} not printed near page {page}")
                sq = squash(window)
                for t in texts:
                    if squash(t) not in sq:
                        failures.append(f"{path}: {label}: '{t}' not printed near page {page}")
    for f in failures:
        print(f)
    print(f"seedcheck: {count} figures checked, {len(failures)} not found in the seed")
    return 1 if failures else 0


def main(argv):
    seed_path = DEFAULT_SEED
    if "--seed" in argv:
        i = argv.index("--seed")
        seed_path = argv[i + 1]
        del argv[i:i + 2]
    if not argv:
        print(__doc__)
        return 2
    cmd = argv[0]
    seed = Seed(seed_path)
    if cmd == "page":
        print(page_of(int(argv[1]), seed.pts))
    elif cmd == "find":
        target = argv[1]
        tnum = norm(target) if NUM.fullmatch(target.replace(",", "")) else None
        for i, line in enumerate(seed.lines, 1):
            hit = (tnum in numbers_in(line)) if tnum else (squash(target) in squash(line))
            if hit:
                print(f"line {i} page ~{page_of(i, seed.pts)}: {line.strip()[:100]}")
    elif cmd == "check":
        return check(argv[1] if len(argv) > 1 else os.path.join(HERE, ".."), seed)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
