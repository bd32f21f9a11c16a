#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check sbuddyctl's pictures by their pixels, after rsvg-convert.

  pics-check.py map SVG PNG PAGEBLOCKS   the cells of each migratetype
  pics-check.py plot SVG PNG CSV         lines in both plot areas

Decodes the PNG itself (zlib; no PIL on the host).  Prints what it
found; exit 0 when the picture holds what the data says, else 1.
The expectations come from the data file and the documented colours
(Documentation/admin-guide/sbuddyctl.rst), never from sbuddyctl.
"""
import re
import struct
import sys
import zlib

# the documented colours of the migratetypes
TYPES = {
    "Unmovable": (0xd6, 0x27, 0x28), "Movable": (0x2c, 0xa0, 0x2c),
    "Reclaimable": (0x1f, 0x77, 0xb4), "HighAtomic": (0xff, 0x7f, 0x0e),
    "CMA": (0x94, 0x67, 0xbd), "Isolate": (0x8c, 0x56, 0x4b),
}


def read_png(path):
    """(width, height, rows of (r, g, b) tuples)"""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError("PNG depth %d colour type %d interlace %d" % (depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xff
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 0xff
        elif f == 3:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((a + prev[i]) >> 1)) & 0xff
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 0xff
        elif f != 0:
            raise ValueError("PNG filter %d" % f)
        prev = line
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
    return w, h, rows


def svg_size(path):
    text = open(path).read()
    m = re.search(r'<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"', text)
    return int(m.group(1)), int(m.group(2)), text


def components(rows, colour):
    """the 4-connected regions of exactly @colour"""
    h, w = len(rows), len(rows[0])
    seen = set()
    n = 0
    for y in range(h):
        for x in range(w):
            if rows[y][x] != colour or (x, y) in seen:
                continue
            n += 1
            stack = [(x, y)]
            seen.add((x, y))
            while stack:
                cx, cy = stack.pop()
                for nx, ny in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                    if 0 <= nx < w and 0 <= ny < h and (nx, ny) not in seen and \
                            rows[ny][nx] == colour:
                        seen.add((nx, ny))
                        stack.append((nx, ny))
    return n


def check_size(svg, png):
    sw, sh, text = svg_size(svg)
    w, h, rows = read_png(png)
    ok = (w, h) == (sw, sh)
    print("size: PNG %dx%d, SVG %dx%d%s" % (w, h, sw, sh, "" if ok else "  MISMATCH"))
    return ok, text, rows


def check_map(svg, png, pbfile):
    ok, _, rows = check_size(svg, png)
    want = dict((t, 0) for t in TYPES)
    for line in open(pbfile):
        f = line.split()
        if not f or f[0].startswith("#"):
            continue
        if f[4] in want:
            want[f[4]] += 1
    for t, rgb in TYPES.items():
        # every cell has a band of the pure colour; the legend one swatch
        got = components(rows, rgb)
        good = got == want[t] + 1
        ok &= good
        print("%-12s blocks %4d, regions of #%02x%02x%02x %4d (cells + the legend swatch)%s"
              % (t, want[t], rgb[0], rgb[1], rgb[2], got, "" if good else "  MISMATCH"))
    return ok


def check_plot(svg, png, csv):
    ok, text, rows = check_size(svg, png)
    nrows = sum(1 for line in open(csv)) - 1
    areas = re.findall(r'<rect id="plot-area-(\d)" x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"',
                       text)
    if len(areas) != 2:
        print("plot areas: %d, want 2" % len(areas))
        return False
    for a in areas:
        x, y, w, h = (int(v) for v in a[1:])
        colours = {}
        # inside the frame: white background and light grey grid lines
        for yy in range(y + 2, y + h - 1):
            for xx in range(x + 2, x + w - 1):
                c = rows[yy][xx]
                if c != (255, 255, 255) and c != (0xdd, 0xdd, 0xdd):
                    colours[c] = colours.get(c, 0) + 1
        drawn = sum(colours.values())
        # a line over N rows is at least N - 1 pixels long, a lone point a dot
        good = drawn >= max(nrows - 1, 4)
        ok &= good
        print("plot area %s: %d line pixels in %d colours over %d rows%s"
              % (a[0], drawn, len(colours), nrows, "" if good else "  TOO FEW"))
    return ok


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("map", "plot"):
        print(__doc__, file=sys.stderr)
        return 2
    fn = check_map if sys.argv[1] == "map" else check_plot
    return 0 if fn(*sys.argv[2:]) else 1


if __name__ == "__main__":
    sys.exit(main())
