import { basename } from 'node:path';
import { DataError } from '../errors.ts';

/**
 * SQLite failures of the history store file, turned into errors that say what to do (exit 2 in the CLI,
 * 503 from the API) instead of a raw SQLite stack: a damaged file, a read-only one, a full disk.
 */
export function storeFailure(e: unknown, file: string): unknown {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e;
  const why = (e as Error).message;
  const name = basename(file);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return new DataError(
      file,
      `the history store is damaged (${why}). Recover: move it aside (mv ${name} ${name}.damaged, with ` +
        `its -wal and -shm files), then \`rigpivot import-history\` reloads the shipped price histories and ` +
        '`rigpivot collect` (with --live and --date for each day you need) rebuilds the days; the moved ' +
        "file's raw archive can be salvaged with `sqlite3 " +
        `${name}.damaged .recover\`.`,
      { recovery: 'move aside, import-history, collect' },
    );
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN'))
    return new DataError(
      file,
      `cannot write the history store (${why}): make the file and its folder writable, or point ` +
        '--data-dir / RIGPIVOT_DATA_DIR at a writable folder.',
    );
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR'))
    return new DataError(
      file,
      `cannot write the history store (${why}): the disk is full or failing; free space and run again ` +
        '(the store keeps its last complete state).',
    );
  return e;
}

/**
 * The database handle with every call (and every statement and transaction it returns) translating
 * SQLite failures through storeFailure: one place, so no query can leak a raw SQLite stack.
 */
export function withStoreFailures<T extends object>(target: T, file: string): T {
  return new Proxy(target, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) =>
        translated(() => (v as (...a: unknown[]) => unknown).apply(t, args), file);
    },
  });
}

function translated(call: () => unknown, file: string): unknown {
  let out: unknown;
  try {
    out = call();
  } catch (e) {
    throw storeFailure(e, file);
  }
  if (typeof out === 'function')
    return (...a: unknown[]) => translated(() => (out as (...x: unknown[]) => unknown)(...a), file);
  if (out !== null && typeof out === 'object' && out.constructor?.name === 'Statement')
    return withStoreFailures(out, file);
  return out;
}
