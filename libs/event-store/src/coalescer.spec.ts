import { WriteCoalescer } from './coalescer.js';

/** A statement that completes only when the test says so, recording what it was given. */
class Gate {
  readonly calls: Array<{ kind: 'one' | 'many'; items: string[]; done: (fail?: Error) => void }> = [];

  one = (item: string): Promise<string> =>
    new Promise((resolve, reject) => {
      this.calls.push({
        kind: 'one',
        items: [item],
        done: (fail) => (fail ? reject(fail) : resolve(`one:${item}`)),
      });
    });

  many = (items: string[]): Promise<string[]> =>
    new Promise((resolve, reject) => {
      this.calls.push({
        kind: 'many',
        items,
        done: (fail) => (fail ? reject(fail) : resolve(items.map((i) => `many:${i}`))),
      });
    });
}

const settle = () => new Promise<void>((r) => setImmediate(r));

describe('WriteCoalescer', () => {
  it('runs a lone write at once, alone', async () => {
    const gate = new Gate();
    const c = new WriteCoalescer({ maxInFlight: 2 }, gate.one, gate.many);
    const p = c.submit('s1', 'a');
    expect(gate.calls.map((x) => [x.kind, x.items])).toEqual([['one', ['a']]]);
    gate.calls[0].done();
    await expect(p).resolves.toBe('one:a');
  });

  it('sends writes that arrive while every slot is busy together, oldest first, once a slot frees', async () => {
    const gate = new Gate();
    const c = new WriteCoalescer({ maxInFlight: 1 }, gate.one, gate.many);
    const first = c.submit('s1', 'a');
    const queued = ['b', 'c', 'd'].map((x, i) => c.submit(`s${i + 2}`, x));
    expect(gate.calls).toHaveLength(1);
    gate.calls[0].done();
    await settle();
    expect(gate.calls.map((x) => [x.kind, x.items])).toEqual([
      ['one', ['a']],
      ['many', ['b', 'c', 'd']],
    ]);
    gate.calls[1].done();
    await expect(first).resolves.toBe('one:a');
    await expect(Promise.all(queued)).resolves.toEqual(['many:b', 'many:c', 'many:d']);
  });

  it('never puts two writes with the same key in one batch and caps the batch size', async () => {
    const gate = new Gate();
    const c = new WriteCoalescer({ maxInFlight: 1, maxBatch: 3 }, gate.one, gate.many);
    const all = [
      c.submit('busy', 'x'),
      c.submit('k1', 'a'),
      c.submit('k1', 'b'),
      c.submit('k2', 'c'),
      c.submit('k3', 'd'),
      c.submit('k4', 'e'),
    ];
    gate.calls[0].done();
    await settle();
    expect(gate.calls[1].items).toEqual(['a', 'c', 'd']);
    gate.calls[1].done();
    await settle();
    expect(gate.calls[2].items).toEqual(['b', 'e']);
    gate.calls[2].done();
    await expect(Promise.all(all)).resolves.toEqual([
      'one:x',
      'many:a',
      'many:b',
      'many:c',
      'many:d',
      'many:e',
    ]);
  });

  it('runs the members of a batch that hit a member conflict again alone, one after another', async () => {
    const gate = new Gate();
    const conflict = (e: unknown) => e instanceof Error && e.message === 'unique violation';
    const c = new WriteCoalescer({ maxInFlight: 1 }, gate.one, gate.many, conflict);
    const busy = c.submit('busy', 'x');
    const a = c.submit('k1', 'a').catch((e: Error) => `rejected: ${e.message}`);
    const b = c.submit('k2', 'b');
    gate.calls[0].done();
    await settle();
    gate.calls[1].done(new Error('unique violation'));
    await settle();
    // one at a time, in the batch's own slot: the slot limit holds during the retry
    expect(gate.calls.slice(2).map((x) => [x.kind, x.items])).toEqual([['one', ['a']]]);
    gate.calls[2].done(new Error('conflict on k1'));
    await settle();
    expect(gate.calls.slice(2).map((x) => [x.kind, x.items])).toEqual([
      ['one', ['a']],
      ['one', ['b']],
    ]);
    gate.calls[3].done();
    await expect(busy).resolves.toBe('one:x');
    await expect(a).resolves.toBe('rejected: conflict on k1');
    await expect(b).resolves.toBe('one:b');
  });

  it('gives every member the error of a batch that failed for another reason, without retrying', async () => {
    const gate = new Gate();
    const conflict = (e: unknown) => e instanceof Error && e.message === 'unique violation';
    const c = new WriteCoalescer({ maxInFlight: 1 }, gate.one, gate.many, conflict);
    const busy = c.submit('busy', 'x');
    const members = [c.submit('k1', 'a'), c.submit('k2', 'b')].map((m) =>
      m.catch((e: Error) => `rejected: ${e.message}`),
    );
    gate.calls[0].done();
    await settle();
    gate.calls[1].done(new Error('connection terminated'));
    await expect(busy).resolves.toBe('one:x');
    await expect(Promise.all(members)).resolves.toEqual([
      'rejected: connection terminated',
      'rejected: connection terminated',
    ]);
    expect(gate.calls).toHaveLength(2);
  });

  it('holds a write back while another with its key is in flight, and lets other keys pass it', async () => {
    const gate = new Gate();
    const c = new WriteCoalescer({ maxInFlight: 2 }, gate.one, gate.many);
    const first = c.submit('hot', 'a');
    const second = c.submit('hot', 'b');
    const other = c.submit('cold', 'c');
    // the second slot is free, but 'hot' is busy: only 'cold' may use it
    expect(gate.calls.map((x) => x.items)).toEqual([['a'], ['c']]);
    gate.calls[1].done();
    await settle();
    expect(gate.calls.map((x) => x.items)).toEqual([['a'], ['c']]);
    gate.calls[0].done();
    await settle();
    expect(gate.calls.map((x) => x.items)).toEqual([['a'], ['c'], ['b']]);
    gate.calls[2].done();
    await expect(Promise.all([first, second, other])).resolves.toEqual(['one:a', 'one:b', 'one:c']);
  });

  it('keeps at most maxInFlight statements running', async () => {
    const gate = new Gate();
    const c = new WriteCoalescer({ maxInFlight: 2 }, gate.one, gate.many);
    const ps = ['a', 'b', 'c', 'd'].map((x) => c.submit(x, x));
    expect(gate.calls.map((x) => x.items)).toEqual([['a'], ['b']]);
    gate.calls[1].done();
    await settle();
    expect(gate.calls.map((x) => x.items)).toEqual([['a'], ['b'], ['c', 'd']]);
    gate.calls[0].done();
    gate.calls[2].done();
    await expect(Promise.all(ps)).resolves.toEqual(['one:a', 'one:b', 'many:c', 'many:d']);
  });

  it('refuses nonsense limits', () => {
    const gate = new Gate();
    expect(() => new WriteCoalescer({ maxInFlight: 0 }, gate.one, gate.many)).toThrow(/maxInFlight/);
    expect(() => new WriteCoalescer({ maxBatch: 1.5 }, gate.one, gate.many)).toThrow(/maxBatch/);
  });
});
