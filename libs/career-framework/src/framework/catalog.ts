import { z } from 'zod';
import type { FrameworkDocument } from './schema.js';
import { parseFramework } from './parse.js';
import type { Result } from '../issues.js';
import { FrameworkCatalogError } from '../errors.js';

export const frameworkPublishedSchema = z
  .object({
    frameworkId: z.string().min(1),
    version: z.number().int().positive(),
    document: z.unknown(),
    publishedBy: z.string().min(1),
    publishedAt: z.string().optional(),
  })
  .strict();

/** A new version of a framework was published; past versions stay available. */
export interface FrameworkPublished {
  type: 'FrameworkPublished';
  data: {
    frameworkId: string;
    version: number;
    document: FrameworkDocument;
    publishedBy: string;
    publishedAt?: string;
  };
}

export type FrameworkCatalogEvent = FrameworkPublished;

export interface PublishedVersion {
  version: number;
  document: FrameworkDocument;
  publishedBy: string;
  publishedAt?: string;
}

export interface CatalogEntry {
  frameworkId: string;
  currentVersion: number;
  versions: PublishedVersion[];
}

export interface FrameworkCatalog {
  frameworks: Record<string, CatalogEntry>;
}

export const emptyCatalog = (): FrameworkCatalog => ({ frameworks: {} });

/** The catalog entry of a framework id; ids such as `__proto__` or `constructor` are not entries. */
export function catalogEntry(catalog: FrameworkCatalog, frameworkId: string): CatalogEntry | undefined {
  return Object.hasOwn(catalog.frameworks, frameworkId) ? catalog.frameworks[frameworkId] : undefined;
}

export function evolveFrameworkCatalog(
  catalog: FrameworkCatalog,
  event: FrameworkCatalogEvent,
): FrameworkCatalog {
  const { frameworkId, version, document, publishedBy, publishedAt } = event.data;
  if (document.id !== frameworkId || document.version !== version) {
    throw new FrameworkCatalogError(
      `FrameworkPublished ${frameworkId} v${version} carries document ${document.id} v${document.version}`,
    );
  }
  const entry = catalogEntry(catalog, frameworkId);
  if (entry && version <= entry.currentVersion) {
    throw new FrameworkCatalogError(`${frameworkId} v${version} published after v${entry.currentVersion}`);
  }
  const published: PublishedVersion = {
    version,
    document,
    publishedBy,
    ...(publishedAt ? { publishedAt } : {}),
  };
  return {
    frameworks: {
      ...catalog.frameworks,
      [frameworkId]: {
        frameworkId,
        currentVersion: version,
        versions: [...(entry?.versions ?? []), published],
      },
    },
  };
}

export function foldFrameworkCatalog(events: ReadonlyArray<FrameworkCatalogEvent>): FrameworkCatalog {
  return events.reduce(evolveFrameworkCatalog, emptyCatalog());
}

export function currentFramework(
  catalog: FrameworkCatalog,
  frameworkId: string,
): FrameworkDocument | undefined {
  const entry = catalogEntry(catalog, frameworkId);
  return entry?.versions.find((v) => v.version === entry.currentVersion)?.document;
}

/** A past (or the current) version: a case evaluates against the version it was opened under. */
export function frameworkVersion(
  catalog: FrameworkCatalog,
  frameworkId: string,
  version: number,
): FrameworkDocument | undefined {
  return catalogEntry(catalog, frameworkId)?.versions.find((v) => v.version === version)?.document;
}

/**
 * Decides a publication: validates the document (YAML/JSON text or a value) and requires its
 * version to be newer than the current one. Returns the event to append, or every problem.
 */
export function publishFramework(
  catalog: FrameworkCatalog,
  command: { document: unknown; publishedBy: string; publishedAt?: string },
): Result<FrameworkPublished> {
  const parsed = parseFramework(command.document);
  if (!parsed.ok) return parsed;
  const fw = parsed.value;
  const current = catalogEntry(catalog, fw.id)?.currentVersion;
  if (current !== undefined && fw.version <= current) {
    return {
      ok: false,
      errors: [
        {
          path: 'version',
          message: `version ${fw.version} is not newer than the published version ${current}`,
        },
      ],
    };
  }
  return {
    ok: true,
    value: {
      type: 'FrameworkPublished',
      data: {
        frameworkId: fw.id,
        version: fw.version,
        document: fw,
        publishedBy: command.publishedBy,
        ...(command.publishedAt ? { publishedAt: command.publishedAt } : {}),
      },
    },
  };
}
