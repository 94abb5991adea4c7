// Claim 8: the odd information planes are infrequent.
import { type Cell, type Claim, type ClaimPart, figure, pc } from '../claim.ts';
import { atMost, combineVerdicts } from '../estimates.ts';
import { ODD_TAGS } from '../planes.ts';
import { NAMED } from '../settings.ts';
import { CLAIM_THRESHOLDS as T } from '../thresholds.ts';
import { rateCounts } from './odd-rates.ts';

/** The pruned settings whose plane the report shows as odd. */
export const ODD_SETTINGS = [...NAMED.lw95, NAMED.ln90L2, NAMED.gw65, NAMED.gn40] as const;

export const infrequent: Claim = {
  text: {
    id: 8,
    key: 'infrequent',
    title: 'The odd information planes are infrequent',
    quote: 'these information planes can be reproduced, however they are infrequent and take multiple attempts to occur',
    where: '§5.2, Appendix D',
    ours: 'In each pruned setting of the report, the odd plane it shows turns up only in a minority of runs.',
    test: `Per pruned setting of the report (95% of layer 1…5, 90% neurons of layer 2, 65% global weights, 40% global neurons), the rate of odd planes (as in claim 3: outside the unpruned runs’ range over seeds). Reproduced for a setting when the Wilson 95% upper bound is ≤ ${pc(T.infrequentRate)}; not reproduced when the lower bound is > ${pc(T.infrequentRate)}; partly otherwise. The claim combines the settings.`,
  },
  settings: [NAMED.baseline, ...ODD_SETTINGS],
  evaluate(ctx) {
    const region = atMost(ctx.t.infrequentRate, `≤ ${pc(ctx.t.infrequentRate)} of runs`);
    const parts: ClaimPart[] = [];
    const rows: Cell[][] = [];
    for (const ref of [NAMED.baseline, ...ODD_SETTINGS]) {
      const s = ctx.summary(ref);
      if (!s) continue;
      const isBase = ref === NAMED.baseline;
      const f = figure(`odd planes, ${ref.id}`, 'fraction', s.odd, isBase ? undefined : region);
      if (!isBase) parts.push({ label: `${ref.id}: ${s.title}`, verdict: f.verdict!, figures: [f] });
      const odd = rateCounts(s);
      const interval: Cell = s.odd.interval ? { range: s.odd.interval, unit: 'fraction' } : '—';
      rows.push([
        ref.id,
        String(s.runs),
        `${odd.count}/${odd.total}`,
        { value: s.odd.value, unit: 'fraction' },
        interval,
        ...ODD_TAGS.map((tag) => String(s.tags[tag])),
        isBase ? '(reference)' : f.verdict!,
      ]);
    }
    const table = { kind: 'odd-rates', columns: ['setting', 'runs', 'odd', 'rate', 'Wilson 95%', ...ODD_TAGS, 'verdict'], rows };
    return { verdict: combineVerdicts(parts.map((p) => p.verdict)), figures: [], parts, tables: [table] };
  },
};
