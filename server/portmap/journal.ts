import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { GatewayMethod, MappingProtocol } from './gateway-client.js';

/** A mapping that was granted and not yet removed: what a crash would leave behind on the router. */
export interface JournalEntry {
  method: GatewayMethod;
  protocol: MappingProtocol;
  internalPort: number;
  externalPort: number;
}

/** Where the mappings in force are written down, so the next start can remove what a crash left. */
export interface MappingJournal {
  read(): JournalEntry[];
  write(entries: readonly JournalEntry[]): void;
}

const entrySchema = z.object({
  method: z.enum(['NAT-PMP', 'UPnP']),
  protocol: z.enum(['UDP', 'TCP']),
  internalPort: z.number().int().min(1).max(65535),
  externalPort: z.number().int().min(1).max(65535),
});
const journalSchema = z.object({ mappings: z.array(entrySchema) });

/** A JSON file beside the settings; a damaged or missing file reads as empty (there is nothing to recover from it). */
export function fileJournal(path: string): MappingJournal {
  return {
    read() {
      try {
        const parsed = journalSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
        return parsed.success ? parsed.data.mappings : [];
      } catch {
        return [];
      }
    },
    write(entries) {
      if (entries.length === 0) {
        rmSync(path, { force: true });
        return;
      }
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.tmp`;
      writeFileSync(temporary, JSON.stringify({ mappings: entries }, null, 2));
      renameSync(temporary, path);
    },
  };
}

/** For a relay that keeps nothing on disk. */
export function memoryJournal(): MappingJournal {
  let kept: JournalEntry[] = [];
  return {
    read: () => [...kept],
    write(entries) {
      kept = [...entries];
    },
  };
}
