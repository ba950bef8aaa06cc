import { MultiBar, Presets } from 'cli-progress';
import { isIsoDate, isSlug } from '@squad/domain';
import type { EventStore } from '@squad/event-store';
import {
  applyEvent,
  BranchView,
  emptyReadModel,
  FORMATIONS,
  fromDay,
  readSnapshot,
  type SquadReadModel,
} from '@squad/projections';
import type { Environment } from '../config/environment';
import { eventIdAt } from '../histories/store-identity';
import { ReplayWindow, type ReplayDay } from '../replays/replay-window';

export const REPLAY_USAGE =
  'npm run cli -- replay --from YYYY-MM-DD --to YYYY-MM-DD --club CLUB [--speed DAYS_PER_SECOND|max] [--formation 4-3-3]';

interface ReplayArgs {
  from: string;
  to: string;
  club: string;
  /** Days per second, or undefined: all at once (days with news only: reports, or facts taking effect). */
  speed?: number;
  formation: string;
}

/** `--name value` pairs, or the problems with them. */
export function parseReplayArgs(argv: string[], defaultFormation: string): ReplayArgs | { problems: string[] } {
  const options = new Map<string, string>();
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (!name.startsWith('--') || value === undefined)
      problems.push(`expected --option value, got ${JSON.stringify(name)}`);
    else options.set(name.slice(2), value);
  }
  const from = options.get('from') ?? '';
  const to = options.get('to') ?? '';
  const club = options.get('club') ?? '';
  const speedText = options.get('speed') ?? 'max';
  const formation = options.get('formation') ?? defaultFormation;
  if (!isIsoDate(from)) problems.push('--from must be a date YYYY-MM-DD');
  if (!isIsoDate(to) || to < from) problems.push('--to must be a date YYYY-MM-DD, on or after --from');
  if (!isSlug(club)) problems.push('--club must be a club slug such as juventus');
  const speed = speedText === 'max' ? undefined : Number(speedText);
  if (speed !== undefined && !(Number.isFinite(speed) && speed > 0))
    problems.push('--speed must be simulated days per second (more than 0) or max');
  if (!Object.hasOwn(FORMATIONS, formation))
    problems.push(`--formation must be one of ${Object.keys(FORMATIONS).join(', ')}`);
  for (const name of options.keys())
    if (!['from', 'to', 'club', 'speed', 'formation'].includes(name)) problems.push(`unknown option --${name}`);
  return problems.length ? { problems } : { from, to, club, speed, formation };
}

/**
 * Prints a window of record time day by day for one club: each day's reports, then its squad
 * depth (available / squad and the verdict per position) beside its open targets with their
 * stage. At a speed, every calendar day on a clock; otherwise all at once, days with news
 * (reports, or facts learned earlier taking effect that day and changing the club's documents).
 * The same days and documents as `POST /v1/replays` with that club.
 */
export async function replayCommand(store: EventStore, env: Environment, argv: string[]): Promise<number> {
  const args = parseReplayArgs(argv, env.DEFAULT_FORMATION);
  if ('problems' in args) {
    process.stderr.write(`${args.problems.join('\n')}\nusage: ${REPLAY_USAGE}\n`);
    return 2;
  }
  // `| head` closing the pipe ends the replay quietly
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const model = await loadReadModel(store, env.READ_MODEL_SNAPSHOT_PATH);
  const position = model.position;
  const view = new BranchView(model, { position }, undefined, { position: () => position });
  if (!view.hasClub(args.club)) {
    process.stderr.write(`no report mentions the club "${args.club}"\n`);
    return 2;
  }
  const window = new ReplayWindow(view, store, {
    from: args.from,
    to: args.to,
    clubs: [args.club],
    formation: args.formation,
  });
  // the progress bar goes to a terminal's stderr; tables are printed above it (or to stdout when redirected)
  const bars = process.stderr.isTTY
    ? new MultiBar(
        {
          format: 'replay {bar} {day} | day {value}/{total} | {reports} reports',
          stream: process.stderr,
          hideCursor: true,
        },
        Presets.shades_classic,
      )
    : undefined;
  const bar = bars?.create(window.days, 0, { day: args.from, reports: 0 });
  const print = (text: string) => (bars && process.stdout.isTTY ? bars.log(text) : process.stdout.write(text));

  const state = new Map<string, unknown>();
  let reports = 0;
  let due = Date.now();
  for (let day = window.first; day <= window.last;) {
    if (args.speed !== undefined) {
      due += 1000 / args.speed;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    } else {
      const next = window.nextDayWithNews(day);
      if (next === undefined) break;
      day = next;
    }
    const told = await window.day(day);
    if (args.speed === undefined && told.reports === 0 && told.changes.length === 0) {
      day++; // a fact taking effect that changed nothing of this club's (as the stream at full speed)
      continue;
    }
    reports += told.reports;
    for (const change of told.changes) state.set(change.model, JSON.parse(change.json));
    print(dayTable(told, args.club, state));
    bar?.update(day - window.first + 1, { day: fromDay(day), reports });
    day++;
  }
  bar?.update(window.days, { day: args.to, reports });
  bars?.stop();
  process.stdout.write(`${reports} reports from ${args.from} to ${args.to}, read at store position ${position}\n`);
  return 0;
}

/** What the table reads of a day's message and of the club's latest documents (as parsed from their JSON). */
interface ToldDay {
  readonly reports: readonly {
    readonly source: { readonly name: string };
    readonly reportId: string;
    readonly claims: readonly unknown[];
  }[];
}
interface SquadDepthSeen {
  readonly positions: readonly {
    readonly position: string;
    readonly available: number;
    readonly squad: number;
    readonly verdict: string;
  }[];
}
interface TargetsSeen {
  readonly targets: readonly {
    readonly player: string;
    readonly stage: string;
    readonly priority?: string;
    readonly open: boolean;
  }[];
}

/** One day: its reports, then positions (left) beside open targets (right). */
function dayTable(told: ReplayDay, club: string, state: Map<string, unknown>): string {
  const message = JSON.parse(told.json) as ToldDay;
  const lines = [`── ${told.day} · ${club} ${'─'.repeat(40)}`];
  for (const report of message.reports)
    lines.push(
      `  ${report.source.name}: ${report.reportId} (${report.claims.length} claim${report.claims.length === 1 ? '' : 's'})`,
    );
  if (message.reports.length === 0) lines.push('  (no reports)');
  const depth = state.get('squad-depth') as SquadDepthSeen | undefined;
  const targets = ((state.get('targets') as TargetsSeen | undefined)?.targets ?? []).filter((t) => t.open);
  const left = [
    'position  avail/squad  verdict',
    ...(depth?.positions ?? []).map(
      (p) => `${p.position.padEnd(8)}  ${`${p.available}/${p.squad}`.padEnd(11)}  ${p.verdict}`,
    ),
  ];
  const right = [
    'open target              stage            priority',
    ...targets.map((t) => `${t.player.padEnd(23)}  ${t.stage.padEnd(15)}  ${t.priority ?? ''}`),
  ];
  if (targets.length === 0) right.push('(none)');
  for (let i = 0; i < Math.max(left.length, right.length); i++)
    lines.push(`  ${(left[i] ?? '').padEnd(34)} │ ${right[i] ?? ''}`.trimEnd());
  return `${lines.join('\n')}\n\n`;
}

/** The read models from their snapshot when it belongs to this store, then caught up; or rebuilt from the store. */
async function loadReadModel(store: EventStore, snapshotPath: string): Promise<SquadReadModel> {
  const loaded =
    snapshotPath === 'none' ? undefined : await readSnapshot(snapshotPath, (position) => eventIdAt(store, position));
  const model = loaded?.model ?? emptyReadModel();
  const head = Number(await store.headPosition());
  if (head > model.position) {
    const bars = process.stderr.isTTY
      ? new MultiBar(
          { format: 'loading read models {bar} {percentage}% | position {value}/{total}', stream: process.stderr },
          Presets.shades_classic,
        )
      : undefined;
    const bar = bars?.create(head, model.position);
    let applied = 0;
    for await (const event of store.readAll({ fromPosition: BigInt(model.position + 1) })) {
      applyEvent(model, event);
      if (++applied % 1000 === 0) bar?.update(Number(event.position));
    }
    bar?.update(head);
    bars?.stop();
  }
  return model;
}
