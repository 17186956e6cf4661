import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
} from 'node:fs';
import { join, sep } from 'node:path';
import { InputError } from '../errors.ts';
import { NotFoundError } from './not-found.ts';

/** Report folders under reportsDir (dates), newest first, with the files each holds. */
export function listReports(reportsDir: string): { date: string; files: string[] }[] {
  const root = realRoot(reportsDir);
  if (root === null) return [];
  const inside = (d: string, f: string) => underRoot(root, join(reportsDir, d, f)) !== null;
  return readdirSync(reportsDir)
    .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && inside(d, 'report.json'))
    .sort()
    .reverse()
    .map((d) => ({
      date: d,
      files: ['report.json', 'report.html', 'report.md', ...listPngs(join(reportsDir, d, 'charts'))].filter(
        (f) => inside(d, f),
      ),
    }));
}

function listPngs(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^[a-z0-9-]+\.png$/.test(f))
        .sort()
        .map((f) => `charts/${f}`)
    : [];
}

/**
 * A report file, read only if it is one of the files a report folder holds and it really lies under
 * reportsDir: a symbolic link that leads outside it is not followed (404), nor is a link as the file itself.
 */
export function readReportFile(reportsDir: string, date: string, file: string): Buffer {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new InputError('date', `expected YYYY-MM-DD, got "${date.slice(0, 40)}"`);
  if (!/^(report\.(json|html|md)|charts\/[a-z0-9-]+\.png)$/.test(file))
    throw new InputError('file', 'expected report.json, report.html, report.md or charts/<name>.png');
  const root = realRoot(reportsDir);
  const real = root === null ? null : underRoot(root, join(reportsDir, date, file));
  const bytes = real === null ? null : readRegularFile(real);
  if (bytes === null)
    throw new NotFoundError(
      'report',
      `no ${file} for ${date}; GET /api/v1/reports lists the reports (make one with \`rigpivot report\`)`,
    );
  return bytes;
}

/** The real path of reportsDir (links resolved), resolved once per listing or read; null when absent. */
function realRoot(reportsDir: string): string | null {
  try {
    return realpathSync(reportsDir);
  } catch {
    return null;
  }
}

/** The real path of `path` when it exists and lies inside `root` (a real path), else null. */
function underRoot(root: string, path: string): string | null {
  try {
    const real = realpathSync(path);
    return real.startsWith(root + sep) ? real : null;
  } catch {
    return null;
  }
}

/** A regular file's bytes, opened without following a link (one swapped in since the check), or null. */
function readRegularFile(path: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd) : null;
  } finally {
    closeSync(fd);
  }
}
