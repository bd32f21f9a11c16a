#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The fragmentation study's report: a table on stdout, an SVG plot.

Input lines (from tools/study.sh):
  STUDY row seed pageblocks ceiling success N fail N stall N used N secs N
  STUDY row seed skipped
"""
import statistics
import sys


def main(raw, svg):
    rows, order, skipped = {}, [], set()
    for line in open(raw):
        w = line.split()
        if len(w) < 4 or w[0] != 'STUDY':
            continue
        name = w[1]
        if name not in order:
            order.append(name)
        if w[3] == 'skipped':
            skipped.add(name)
            continue
        blocks, ceiling, success = int(w[3]), int(w[4]), int(w[6])
        stall = int(w[10]) if len(w) > 10 else 0
        # the held pages fill ceil(used / 512) pageblocks wherever they
        # are: no allocator gets more blocks than the rest
        used = int(w[12]) if len(w) > 12 and w[11] == 'used' else 0
        room = min(ceiling, blocks - (used + 511) // 512)
        rows.setdefault(name, []).append((int(w[2]), blocks, ceiling,
                                          success, stall, room))

    print('order-9 movable allocations after highalloc-at-rest, '
          'as a fraction of the ceiling')
    print(f'{"row":<22} {"seeds":>5} {"ceiling":>8} {"success":>8} '
          f'{"mean":>6} {"sd":>6} {"min":>6} {"max":>6} {"stalls":>7} '
          f'{"of all":>7} {"bound":>6} {"of it":>6}')
    stats = []
    for name in order:
        runs = rows.get(name)
        if not runs:
            print(f'{name:<22} not run (a switch it needs is missing)')
            continue
        fr = [r[3] / r[2] if r[2] else 0.0 for r in runs]
        sd = statistics.stdev(fr) if len(fr) > 1 else 0.0
        mean = statistics.mean(fr)
        share = [r[3] / r[1] for r in runs]
        stats.append((name, statistics.mean(share),
                      statistics.stdev(share) if len(share) > 1 else 0.0,
                      share, statistics.mean(r[2] / r[1] for r in runs),
                      statistics.mean(r[5] / r[1] for r in runs)))
        print(f'{name:<22} {len(runs):>5} '
              f'{statistics.mean(r[2] for r in runs):>8.1f} '
              f'{statistics.mean(r[3] for r in runs):>8.1f} '
              f'{mean:>6.3f} {sd:>6.3f} {min(fr):>6.3f} {max(fr):>6.3f} '
              f'{statistics.mean(r[4] for r in runs):>7.1f} '
              f'{statistics.mean(r[3] / r[1] for r in runs):>7.3f} '
              f'{statistics.mean(r[5] for r in runs):>6.1f} '
              f'{statistics.mean(r[3] / r[5] if r[5] > 0 else 0.0 for r in runs):>6.3f}')
    print('(mean, sd, min, max: successes / ceiling over the seeds; '
          '"of all": successes / pageblocks; "bound": the ceiling, or fewer '
          'when the pages still held need more room than the other blocks '
          'have; "of it": successes / bound)')
    plot(stats, svg)


def plot(stats, path):
    """Bars of the mean share of all pageblocks won, +-1 sd whiskers, a
    dot a seed; the ceiling as a dashed line, the bound as a solid one."""
    w, h, left, top, bottom = 640, 380, 60, 56, 80
    ph = h - top - bottom
    bw = (w - left - 20) / max(len(stats), 1)
    y = lambda v: top + ph * (1 - min(max(v, 0), 1.2) / 1.2)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="20" text-anchor="middle" font-size="14">'
           'order-9 blocks won / all pageblocks (bars: mean, +-1 sd, '
           'seeds as dots)</text>',
           f'<text x="{w / 2}" y="36" text-anchor="middle" font-size="11">'
           'dashed: the ceiling; solid: the bound (room left by the pages '
           'still held)</text>']
    for v in (0, 0.25, 0.5, 0.75, 1.0):
        out.append(f'<line x1="{left}" x2="{w - 20}" y1="{y(v):.1f}" '
                   f'y2="{y(v):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" '
                   f'text-anchor="end">{v:.2f}</text>')
    colours = ['#4878cf', '#6acc65', '#d65f5f', '#b47cc7', '#c4ad66']
    for i, (name, mean, sd, fr, ceil, bound) in enumerate(stats):
        x = left + i * bw + bw * 0.2
        out.append(f'<rect x="{x:.1f}" y="{y(mean):.1f}" width="{bw * 0.6:.1f}" '
                   f'height="{y(0) - y(mean):.1f}" '
                   f'fill="{colours[i % len(colours)]}"/>')
        cx = x + bw * 0.3
        out.append(f'<line x1="{x - 4:.1f}" x2="{x + bw * 0.6 + 4:.1f}" '
                   f'y1="{y(ceil):.1f}" y2="{y(ceil):.1f}" stroke="black" '
                   'stroke-dasharray="4,3"/>')
        out.append(f'<line x1="{x - 4:.1f}" x2="{x + bw * 0.6 + 4:.1f}" '
                   f'y1="{y(bound):.1f}" y2="{y(bound):.1f}" stroke="black" '
                   'stroke-width="2"/>')
        out.append(f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(mean - sd):.1f}" '
                   f'y2="{y(mean + sd):.1f}" stroke="black"/>')
        for f in fr:
            out.append(f'<circle cx="{cx:.1f}" cy="{y(f):.1f}" r="2.5" '
                       'fill="black" fill-opacity="0.6"/>')
        out.append(f'<text x="{cx:.1f}" y="{h - bottom + 18}" '
                   f'text-anchor="middle">{name}</text>')
        out.append(f'<text x="{cx:.1f}" y="{h - bottom + 34}" '
                   f'text-anchor="middle">{mean:.2f}</text>')
    out.append('</svg>')
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
