import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from './db.ts';
import type { Observation } from '../domain/observations.ts';

const obs = (n: number, v = 1): Observation[] =>
  Array.from({ length: n }, (_, i) => ({
    series: 'coin.priceUsd',
    key: `K${i}`,
    value: v + i,
    asOf: '2026-11-25',
    kind: 'measured',
    source: 'x',
    sourceUrl: 'test://',
  }));

test(
  'crash safety: a writer SIGKILLed mid-transaction leaves the store readable with the previous day ' +
    'intact',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rigpivot-db-'));
    try {
      const s = new Store(dir);
      s.replaceSourceDay(s.beginRun('2026-11-25', 'offline', 't'), '2026-11-25', 'x', obs(10), [], 't', 't');
      s.close();
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), dir, '2026-11-25'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('mid-transaction'))
            setTimeout(() => {
              child.kill('SIGKILL');
              resolve();
            }, 300);
        });
        child.on('exit', (code) => reject(new Error(`child exited by itself (${code})`)));
      });
      await new Promise((r) => child.once('exit', r));
      assert.equal(child.signalCode, 'SIGKILL');
      const after = new Store(dir);
      try {
        assert.ok(after.integrityOk());
        after.beginRun('2026-11-26', 'offline', 't2');
        assert.deepEqual(
          after.runs().map((r) => r.status),
          ['running', 'aborted', 'running'],
          'the killed child run is aborted; this (live) process keeps its own first run open',
        );
        const day = after.observationsFor('2026-11-25', 'x');
        assert.equal(day.length, 10, 'the previous data for the day is intact');
        assert.deepEqual(
          day.map((o) => o.value).sort((a, b) => a - b),
          Array.from({ length: 10 }, (_, i) => 1 + i),
        );
      } finally {
        after.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
