import { Injectable } from '@nestjs/common';
import {
  catalogEntry,
  evolveFrameworkCatalog,
  emptyCatalog,
  frameworkPublishedSchema,
  type FrameworkCatalog,
  type FrameworkDocument,
  type FrameworkPublished,
} from '@talent/career-framework';
import { EventStore } from '@talent/event-store';
import { NotFoundError } from '@talent/workflows';

export const FRAMEWORK_STREAM_TYPE = 'framework';
export const frameworkStreamId = (frameworkId: string) => `framework-${frameworkId}`;

/**
 * The framework catalog folded from the log. Published versions are immutable, so the fold is kept
 * in memory and only the events past the cached stream versions are read on each call.
 */
@Injectable()
export class FrameworkCatalogReader {
  private catalog: FrameworkCatalog = emptyCatalog();
  private readonly versions = new Map<string, number>();

  constructor(private readonly store: EventStore) {}

  async load(): Promise<FrameworkCatalog> {
    const heads = await this.store.dataSource.query<Array<{ stream_id: string; version: number }>>(
      `SELECT stream_id, max(stream_version) AS version FROM events WHERE stream_type = $1 GROUP BY stream_id`,
      [FRAMEWORK_STREAM_TYPE],
    );
    for (const head of heads) {
      const seen = this.versions.get(head.stream_id) ?? 0;
      if (head.version <= seen) continue;
      const events = await this.store.readStream(head.stream_id, seen + 1);
      for (const e of events) {
        const data = frameworkPublishedSchema.parse(e.payload) as FrameworkPublished['data'];
        this.catalog = evolveFrameworkCatalog(this.catalog, { type: 'FrameworkPublished', data });
        this.versions.set(head.stream_id, e.streamVersion);
      }
    }
    return this.catalog;
  }

  /** The stream version of a framework's stream as last loaded (0 when never published). */
  streamVersionOf(frameworkId: string): number {
    return this.versions.get(frameworkStreamId(frameworkId)) ?? 0;
  }

  /** A given version, or the current one; 404 when unknown. */
  async get(
    frameworkId: string,
    version?: number,
  ): Promise<{ document: FrameworkDocument; version: number }> {
    const catalog = await this.load();
    const entry = catalogEntry(catalog, frameworkId);
    if (!entry) throw new NotFoundError('framework', frameworkId);
    const wanted = version ?? entry.currentVersion;
    const found = entry.versions.find((v) => v.version === wanted);
    if (!found) throw new NotFoundError('framework version', `${frameworkId}@${wanted}`);
    return { document: found.document, version: wanted };
  }
}
