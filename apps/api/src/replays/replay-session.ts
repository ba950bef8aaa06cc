import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Slug } from '@squad/domain';
import { fromDay, type Day } from '@squad/projections';
import { ApplicationError } from '../errors/application-error';
import { replayFrame, ReplayStream } from './replay-stream';
import { replayTurns, type ReplayTurns } from './replay-turns';
import type { ReplayWindow } from './replay-window';

/** Simulated days per real second, `max` (as fast as the client reads) or `step` (one day per `/step`). */
export type ReplaySpeed = number | 'max' | 'step';

export interface ReplayDescription {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly branch: string | null;
  readonly formation: string;
  /** The store position the replay reads canonical history at (fixed when it was created). */
  readonly storePosition: number;
}

/**
 * One replay: a cursor over the window's days, a speed, playing or paused, and at most one
 * client stream. Days are told in order, one at a time: at full speed only days with news
 * (reports published that day, or facts learned earlier that take effect that day and change a
 * document told), the next as soon as the client has taken the last; at a finite speed every
 * calendar day on a clock (a day without reports still takes its time, and still tells the
 * documents of the clubs the replay follows if they changed); in step mode one day per `/step`.
 *
 * Every change of position (a day told, a step, a seek) goes through one lock, so a seek never
 * lands between a day's computation and its writing; waiting for a slow client happens outside
 * the lock, so pause, seek and delete answer at once.
 *
 * However fast it goes (10,000 days/s, or "max" over a century of news) and however many clubs
 * it follows, a replay's work is cut into slices of a few milliseconds shared with every other
 * replay (`ReplayTurns`): between two days, two clubs' documents or two runs of reports read, it
 * hands the event loop back once the slice is spent, so the process keeps answering its other
 * requests.
 */
export class ReplaySession {
  private cursor: Day;
  private lastDay: Day | undefined;
  private playing: boolean;
  private stream: ReplayStream | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  private pumping: Promise<void> | undefined;
  private sleeping: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  /** When the next day is due at a finite speed (0: at once). */
  private nextDue = 0;
  private endSent = false;
  private closed = false;
  private daysSent = 0;
  private eventsSent = 0;
  /** Last time a client did anything with this replay (for the idle timeout). */
  lastActivity = Date.now();

  constructor(
    readonly description: ReplayDescription,
    readonly window: ReplayWindow,
    private speed: ReplaySpeed,
    private readonly onError: (error: unknown) => void,
    private readonly turns: ReplayTurns = replayTurns,
  ) {
    this.cursor = window.first;
    this.playing = speed !== 'step';
  }

  get id(): string {
    return this.description.id;
  }

  get streaming(): boolean {
    return !!this.stream?.isOpen;
  }

  private get ended(): boolean {
    return this.cursor > this.window.last;
  }

  /**
   * Attaches a client's stream (replacing any other): it carries on from the replay's position
   * (after `resumeAfter`, its Last-Event-ID, if given), its first day telling the documents whole.
   * `clubs` changes the clubs followed; `onClose` is called once this stream has ended.
   */
  attach(
    response: ServerResponse,
    options: {
      heartbeatMs: number;
      headers?: OutgoingHttpHeaders;
      resumeAfter?: Day;
      clubs?: readonly Slug[];
      onClose?: () => void;
    },
  ): void {
    this.stream?.close();
    this.stream = undefined;
    const stream = new ReplayStream(response, {
      heartbeatMs: options.heartbeatMs,
      headers: options.headers,
      onClose: () => {
        options.onClose?.();
        if (this.stream === stream) this.stream = undefined;
        this.touch();
        this.wake();
      },
    });
    this.touch();
    // in the lock: a day being told to the previous client is not told to this one
    void this.exclusive(() => {
      if (!stream.isOpen || this.closed) {
        stream.close(); // closed meanwhile: the hijacked response must not stay open
        return;
      }
      if (options.clubs) this.window.follow(options.clubs);
      if (options.resumeAfter !== undefined)
        this.moveTo(Math.max(this.window.first, Math.min(options.resumeAfter + 1, this.window.last + 1)));
      this.window.reset();
      this.stream = stream;
      // a stream attached after the end is told so at once
      if (this.ended) this.finish();
      this.startPump();
    });
  }

  pause(): void {
    this.touch();
    this.playing = false;
    this.wake();
  }

  resume(speed?: ReplaySpeed): void {
    this.touch();
    // checked before anything changes: a refused resume leaves the replay as it was
    if ((speed ?? this.speed) === 'step') {
      throw new ApplicationError(
        'REPLAY_STEP_ONLY',
        'conflict',
        'This replay moves one day per /step; resume it with a speed ("max" or days per second)',
      );
    }
    if (speed !== undefined) this.speed = speed;
    this.playing = true;
    this.nextDue = 0;
    this.startPump();
  }

  /** Pauses, then tells the next day (after the one being told, if any). Undefined at the end. */
  async step(): Promise<string | undefined> {
    this.pause();
    return this.exclusive(async () => {
      if (!this.streaming) {
        throw new ApplicationError(
          'REPLAY_NOT_STREAMING',
          'conflict',
          'No client is reading this replay: open its stream first',
        );
      }
      const day = this.nextDay();
      if (day === undefined) {
        this.finish();
        return undefined;
      }
      await this.emit(day);
      return fromDay(day);
    });
  }

  /** Moves to `day`: the next day told is `day` (or, at full speed, the first one with news from there). */
  async seek(day: Day): Promise<void> {
    this.touch();
    await this.exclusive(() => this.moveTo(day));
    this.wake();
    this.startPump();
  }

  close(): void {
    this.closed = true;
    this.playing = false;
    this.stream?.close();
    this.stream = undefined;
    this.wake();
  }

  status() {
    const next = this.ended ? undefined : this.nextDay();
    return {
      ...this.description,
      clubs: this.window.clubs ?? null,
      days: this.window.days,
      speed: this.speed,
      state: this.ended ? 'ended' : this.playing ? 'playing' : 'paused',
      next: next === undefined ? null : fromDay(next),
      lastDay: this.lastDay === undefined ? null : fromDay(this.lastDay),
      streaming: this.streaming,
      daysSent: this.daysSent,
      eventsSent: this.eventsSent,
      bytesSent: this.stream?.bytesWritten ?? 0,
      /** Bytes waiting in this replay's socket buffer now, and at most so far on this stream. */
      bufferedBytes: this.stream?.bufferedBytes ?? 0,
      maxBufferedBytes: this.stream?.maxBufferedBytes ?? 0,
      waitingForClient: !!this.stream?.waitingForClient,
    };
  }

  private touch(): void {
    this.lastActivity = Date.now();
  }

  private moveTo(day: Day): void {
    this.cursor = day;
    this.window.reset();
    this.endSent = false;
    this.nextDue = 0;
  }

  private nextDay(): Day | undefined {
    if (this.ended) return undefined;
    return this.speed === 'max' ? this.window.nextDayWithNews(this.cursor) : this.cursor;
  }

  private startPump(): void {
    if (this.pumping || !this.playing || !this.streaming || this.closed) return;
    this.pumping = this.pump()
      .catch((error: unknown) => {
        this.onError(error);
        this.stream?.close();
      })
      .finally(() => {
        this.pumping = undefined;
        // a resume or a seek that came while the loop was leaving
        if (this.playing && !this.ended) this.startPump();
      });
  }

  private async pump(): Promise<void> {
    while (this.playing && this.streaming) {
      // the slice spent? other work first, then look again (paused, sought or closed meanwhile?)
      const pause = this.turns.pause();
      if (pause) {
        await pause;
        continue;
      }
      const day = this.nextDay();
      if (day === undefined) {
        this.cursor = this.window.last + 1;
        this.finish();
        return;
      }
      if (typeof this.speed === 'number') {
        const now = Date.now();
        if (this.nextDue > now) {
          await this.sleep(this.nextDue - now);
          continue; // paused, sought or closed meanwhile? look again
        }
        // a clock: this day now, the next one an interval later (after a stall, it starts again from now)
        const interval = 1000 / this.speed;
        this.nextDue = (this.nextDue === 0 ? now : Math.max(this.nextDue, now - interval)) + interval;
      }
      const written = await this.exclusive(async () =>
        this.nextDay() === day && this.playing ? this.emit(day, this.speed === 'max') : undefined,
      );
      await written?.drained; // the client's pace, outside the lock
    }
  }

  /**
   * Tells one day; resolves once written, with a promise for when the client has taken it.
   * `skipIfEmpty` (full speed): a day without reports whose facts taking effect changed no
   * document told is passed over, not told.
   */
  private async emit(day: Day, skipIfEmpty = false): Promise<{ drained: Promise<void> }> {
    const message = await this.window.day(day, this.turns);
    const stream = this.stream;
    if (!stream?.isOpen) return { drained: Promise.resolve() }; // told to nobody: the next client gets it
    this.cursor = day + 1;
    if (skipIfEmpty && message.reports === 0 && message.changes.length === 0) {
      if (this.ended) this.finish();
      return { drained: Promise.resolve() };
    }
    this.lastDay = day;
    this.daysSent++;
    this.eventsSent += message.events;
    stream.write(replayFrame('day', message.day, message.json));
    if (this.ended) this.finish();
    return { drained: stream.drained() };
  }

  private finish(): void {
    if (this.endSent || !this.stream?.isOpen) return;
    this.endSent = true;
    this.stream.write(
      replayFrame(
        'end',
        undefined,
        JSON.stringify({ from: this.description.from, to: this.description.to, daysSent: this.daysSent }),
      ),
    );
  }

  /** Runs `fn` once every earlier exclusive run has finished (they tell days to the stream in turn). */
  private exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), ms);
      this.sleeping = { timer, resolve };
    });
  }

  private wake(): void {
    const sleeping = this.sleeping;
    this.sleeping = undefined;
    if (sleeping) {
      clearTimeout(sleeping.timer);
      sleeping.resolve();
    }
  }
}
