import { UnknownSchemaVersionError, UpcasterRegistryError } from './errors.js';
import type { EventMetadata, JsonObject } from './types.js';

/** Rewrites a payload of `type` at `fromSchemaVersion` into `toSchemaVersion` (default: the next one). */
export interface Upcaster {
  type: string;
  fromSchemaVersion: number;
  toSchemaVersion?: number;
  upcast(payload: JsonObject, metadata: EventMetadata): JsonObject;
}

interface Step {
  to: number;
  upcast: Upcaster['upcast'];
}

/**
 * Upcasters keyed by (type, fromSchemaVersion). Validated when built: for every type, each known
 * version (every `from`, every `to`, 1, and the declared latest) must reach the latest version
 * by exactly one path, with no cycle, no gap and no step past the latest. Errors name the type.
 */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Map<number, Step>>();
  private readonly latest = new Map<string, number>();

  /**
   * @param latestVersions the current schema version per type; types absent here get the highest
   *   version their upcasters reach.
   */
  constructor(upcasters: readonly Upcaster[] = [], latestVersions: Readonly<Record<string, number>> = {}) {
    for (const u of upcasters) {
      const to = u.toSchemaVersion ?? u.fromSchemaVersion + 1;
      for (const v of [u.fromSchemaVersion, to]) {
        if (!Number.isInteger(v) || v < 1)
          throw new UpcasterRegistryError(u.type, `invalid schema version ${v}`);
      }
      let byFrom = this.steps.get(u.type);
      if (!byFrom) this.steps.set(u.type, (byFrom = new Map<number, Step>()));
      if (byFrom.has(u.fromSchemaVersion)) {
        throw new UpcasterRegistryError(u.type, `two upcasters from v${u.fromSchemaVersion}`);
      }
      byFrom.set(u.fromSchemaVersion, { to, upcast: u.upcast });
    }
    for (const [type, v] of Object.entries(latestVersions)) {
      if (!Number.isInteger(v) || v < 1) throw new UpcasterRegistryError(type, `invalid latest version ${v}`);
      this.latest.set(type, v);
    }
    for (const [type, byFrom] of this.steps) {
      const known = new Set<number>([1]);
      for (const [from, step] of byFrom) known.add(from).add(step.to);
      const latest = this.latest.get(type) ?? Math.max(...known);
      this.latest.set(type, latest);
      known.add(latest);
      if (byFrom.has(latest))
        throw new UpcasterRegistryError(type, `an upcaster starts at the latest version v${latest}`);
      for (const start of known) {
        const seen = new Set<number>();
        let v = start;
        while (v !== latest) {
          if (seen.has(v)) throw new UpcasterRegistryError(type, `cycle through v${v}`);
          seen.add(v);
          const step = byFrom.get(v);
          if (!step) throw new UpcasterRegistryError(type, `gap: no upcaster from v${v} towards v${latest}`);
          if (step.to > latest)
            throw new UpcasterRegistryError(type, `v${v} upcasts past the latest v${latest}`);
          v = step.to;
        }
      }
    }
  }

  latestVersion(type: string): number {
    return this.latest.get(type) ?? 1;
  }

  /** True when `schemaVersion` of `type` is the latest or has a path to it. */
  canUpcast(type: string, schemaVersion: number): boolean {
    const latest = this.latestVersion(type);
    const byFrom = this.steps.get(type);
    for (let v = schemaVersion, hops = 0; v !== latest; hops++) {
      const step = byFrom?.get(v);
      if (!step || hops > byFrom!.size) return false;
      v = step.to;
    }
    return true;
  }

  /** Brings a payload from `schemaVersion` to the latest version of its type. */
  upcast(
    type: string,
    schemaVersion: number,
    payload: JsonObject,
    metadata: EventMetadata,
  ): { schemaVersion: number; payload: JsonObject } {
    const latest = this.latestVersion(type);
    if (schemaVersion === latest) return { schemaVersion, payload };
    const byFrom = this.steps.get(type);
    let v = schemaVersion;
    let p = payload;
    while (v !== latest) {
      const step = byFrom?.get(v);
      if (!step) throw new UnknownSchemaVersionError(type, schemaVersion);
      p = step.upcast(p, metadata);
      v = step.to;
    }
    return { schemaVersion: v, payload: p };
  }
}
