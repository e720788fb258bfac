import fc from 'fast-check';
import { canonicalEvent, canonicalEventFrom, canonicalJson } from './canonical.js';
import { deterministicEventId, uuidV5 } from './ids.js';
import type { JsonObject } from './types.js';

describe('canonical serialisation', () => {
  it('sorts keys at every depth, drops undefined, and is insensitive to key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: true, e: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"e":null,"f":true}]},"b":1}',
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const parsed = JSON.parse(JSON.stringify(v)) as JsonObject;
        const reversed = JSON.parse(
          JSON.stringify(parsed, (_k, val: unknown) =>
            val && typeof val === 'object' && !Array.isArray(val)
              ? Object.fromEntries(Object.entries(val).reverse())
              : val,
          ),
        ) as JsonObject;
        expect(canonicalJson(reversed)).toBe(canonicalJson(parsed));
        expect(JSON.parse(canonicalJson(parsed))).toEqual(parsed);
      }),
    );
  });

  it('builds the event text from pre-serialised parts exactly as from the whole object', () => {
    fc.assert(
      fc.property(
        fc.record({
          eventId: fc.uuid(),
          streamId: fc.string({ minLength: 1 }),
          streamType: fc.string({ minLength: 1 }),
          streamVersion: fc.integer({ min: 1 }),
          type: fc.string({ minLength: 1 }),
          schemaVersion: fc.integer({ min: 1, max: 50 }),
          payload: fc.dictionary(fc.string(), fc.jsonValue()),
        }),
        (e) => {
          const payload = JSON.parse(JSON.stringify(e.payload)) as JsonObject;
          const metadata = {
            actorId: 'a',
            actorRole: 'hr',
            occurredAt: '2026-01-01T00:00:00.000Z',
            correlationId: 'c',
            causationId: 'k',
          };
          const full = { ...e, payload, metadata, occurredAt: metadata.occurredAt };
          expect(canonicalEventFrom(full, canonicalJson(payload), canonicalJson(metadata))).toBe(
            canonicalEvent(full),
          );
        },
      ),
    );
  });
});

describe('deterministic event ids', () => {
  it('are RFC 9562 v5 UUIDs, stable per (command, index)', () => {
    // Reference vector: uuid v5 of "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    expect(deterministicEventId('cmd-1', 0)).toBe(deterministicEventId('cmd-1', 0));
    expect(deterministicEventId('cmd-1', 0)).not.toBe(deterministicEventId('cmd-1', 1));
    expect(deterministicEventId('cmd-1', 0)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
