// The folder arrows of DESIGN.md ("Architecture"), read from every import in
// src/: cli -> experiment -> report/train/prune/mi/data/io -> backend -> core.
// Folders on one level may import each other as long as no cycle forms;
// bench imports anything and nothing but an entry point imports bench; the
// entry points (src/index.ts, src/cli/bin.ts) compose everything.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.ts';

const LEVEL: Record<string, number> = { cli: 5, experiment: 4, report: 3, train: 3, prune: 3, mi: 3, data: 3, io: 3, backend: 2, core: 1 };
const ENTRY_POINTS = new Set(['src/index.ts', 'src/cli/bin.ts']);
// Reports read run, trials and reproduction results, whose types live in
// experiment/ for now: type-only imports (erased at run time) are tolerated.
// The reproduction page still takes constants and formatters from
// experiment/reproduce/, which is being split into claims and sentences.
const TYPE_ONLY_UPWARD = new Set(['report -> experiment']);
const KNOWN_VALUE_UPWARD = new Set(['src/report/reproduction-files.ts', 'src/report/reproduction-page.ts']);

export interface Arrow {
  file: string;
  target: string;
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const folderOf = (file: string) => (file.split('/').length === 2 ? file.slice(4, -3) : file.split('/')[1]);

/** Every relative import between two folders of src/, with whether it is type-only. */
export function folderArrows(root: string, files = sourceFiles(join(root, 'src'))): Arrow[] {
  const arrows: Arrow[] = [];
  const pattern = /^\s*(?:import|export)\s+(type\s+)?(?:([^'";]*?)\s+from\s+)?'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/gm;
  for (const abs of files) {
    const file = relative(root, abs);
    for (const m of readFileSync(abs, 'utf8').matchAll(pattern)) {
      const spec = m[3] ?? m[4];
      const target = relative(root, resolve(dirname(abs), spec));
      if (!target.startsWith('src/')) continue;
      const names = m[2]
        ?.match(/^\{([^}]*)\}$/)?.[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const typeOnly = Boolean(m[1]) || Boolean(names?.length && names.every((n) => n.startsWith('type ')));
      const [from, to] = [folderOf(file), folderOf(target)];
      if (from !== to) arrows.push({ file, target, from, to, typeOnly });
    }
  }
  return arrows;
}

/** The arrows that break the rules, as readable lines. */
export function violations(arrows: readonly Arrow[]): string[] {
  const bad: string[] = [];
  const graph = new Map<string, Set<string>>();
  for (const a of arrows) {
    const line = `${a.from} -> ${a.to} (${a.file} imports ${a.target})`;
    if (ENTRY_POINTS.has(a.file)) continue;
    if (a.to === 'index') bad.push(`nothing imports the front door: ${line}`);
    else if (a.to === 'bench') bad.push(`nothing imports bench: ${line}`);
    else if (a.from !== 'bench' && LEVEL[a.from] !== undefined && LEVEL[a.to] !== undefined && LEVEL[a.to] > LEVEL[a.from]) {
      const tolerated = TYPE_ONLY_UPWARD.has(`${a.from} -> ${a.to}`) && (a.typeOnly || KNOWN_VALUE_UPWARD.has(a.file));
      if (!tolerated) bad.push(`points up: ${line}`);
    } else if (LEVEL[a.from] === undefined && a.from !== 'bench' && a.from !== 'index') bad.push(`unknown folder: ${line}`);
    if (a.from !== 'bench' && a.from !== 'index') (graph.get(a.from) ?? graph.set(a.from, new Set()).get(a.from)!).add(a.to);
  }
  // A cycle between folders: a folder that reaches itself.
  for (const start of graph.keys()) {
    const seen = new Set<string>();
    const stack = [...(graph.get(start) ?? [])].map((n) => [start, n]);
    while (stack.length) {
      const path = stack.pop()!;
      const node = path[path.length - 1];
      if (node === start) {
        bad.push(`cycle: ${path.join(' -> ')}`);
        break;
      }
      if (seen.has(node)) continue;
      seen.add(node);
      for (const next of graph.get(node) ?? []) stack.push([...path, next]);
    }
  }
  return bad;
}

describe('folder arrows of src/', () => {
  it('point down the DESIGN.md order, with no cycle between folders', () => {
    const arrows = folderArrows(repoRoot);
    expect(arrows.length).toBeGreaterThan(100);
    expect(violations(arrows)).toEqual([]);
  });

  it('catches an arrow pointing up, one into bench, and a cycle', () => {
    const arrow = (file: string, target: string, typeOnly = false): Arrow => ({ file, target, from: folderOf(file), to: folderOf(target), typeOnly });
    expect(violations([arrow('src/backend/registry.ts', 'src/train/engine.ts')])).toEqual([
      'points up: backend -> train (src/backend/registry.ts imports src/train/engine.ts)',
    ]);
    expect(violations([arrow('src/cli/main.ts', 'src/bench/command.ts')])[0]).toMatch(/^nothing imports bench/);
    expect(violations([arrow('src/mi/kde.ts', 'src/io/npy.ts'), arrow('src/io/array-mi.ts', 'src/mi/binning.ts')])).toContain('cycle: mi -> io -> mi');
    expect(violations([arrow('src/report/run-page.ts', 'src/experiment/run.ts', true)])).toEqual([]);
    expect(violations([arrow('src/report/run-page.ts', 'src/experiment/run.ts')])[0]).toMatch(/^points up: report -> experiment/);
  });
});
