import { ReplayTurns } from './replay-turns';

/** Busy work for `ms` (as a replay computing documents). */
const work = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe(ReplayTurns.name, () => {
  it('lets work carry on while the slice has time left, and hands the loop back once it is spent', async () => {
    const turns = new ReplayTurns(5);
    await turns.nextTurn(); // a fresh slice
    expect(turns.pause()).toBeUndefined();
    work(6);
    let other = false;
    setImmediate(() => (other = true)); // something else that is due
    const pause = turns.pause();
    expect(pause).toBeInstanceOf(Promise);
    await pause;
    expect(other).toBe(true); // it ran before the work carried on
    expect(turns.pause()).toBeUndefined(); // a new slice
  });

  it('gives one slice per turn of the event loop to all its workers together, in turns, so none starves', async () => {
    const turns = new ReplayTurns(2);
    const ran: string[] = [];
    let loopTurns = 0;
    let counting = true;
    const count = () => {
      loopTurns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    /** A worker doing 1 ms units, asking between two, until it has done `units`. */
    const worker = async (name: string, units: number) => {
      for (let i = 0; i < units; i++) {
        const pause = turns.pause();
        if (pause) await pause;
        work(1);
        ran.push(name);
      }
    };
    const started = loopTurns;
    await Promise.all([worker('a', 20), worker('b', 20), worker('c', 20)]);
    counting = false;
    // every worker got its units done, none waiting for the others to finish
    expect(ran.filter((name) => name === 'c')).toHaveLength(20);
    expect(ran.slice(0, 30).filter((name) => name === 'c').length).toBeGreaterThanOrEqual(5);
    // about two units a slice, one slice a turn: the loop turned at least once every few units
    expect(loopTurns - started).toBeGreaterThanOrEqual(60 / 4);
  });
});
