/**
 * bench/aws-offer: streaming extract of an AWS EC2 regional offer file.
 *
 * The real us-east-1 file is ~480 MB (481,907,939 B on 2026-09-07, per koyakimu/aws-gpu-quick-reference's
 * plan doc), past V8's string limit, so it is parsed as a
 * token stream. No such file is shipped or fetched here (no network): this bench GENERATES a synthetic
 * file in the real shape (formatVersion/version/publicationDate header, `products` keyed by SKU with
 * productFamily + flat attributes, then `terms.OnDemand` and `terms.Reserved` keyed by SKU then by
 * offer-term code, priceDimensions with unit/pricePerUnit.USD, termAttributes with LeaseContractLength,
 * OfferingClass, PurchaseOption), of the requested size, with a mix of GPU and non-GPU instance types,
 * operating systems, tenancies and capacity statuses, so the filter has real work to do.
 *
 * Three passes, each in a fresh child process so each peak RSS (getrusage maxRSS) is its own:
 *   events: stream-json's parser stream consumed through plain 'data' events, counting tokens;
 *   chunks: the same tokenizer (stream-json's jsonParser, same options) called once per file chunk,
 *           no stream between it and the file: the fastest token pass we know how to build;
 *   extract: src/sources/aws/offer-stream.ts extractOffer with the shipped AWS SKU table.
 * (Before 2026-12-02 the anchor read the parser stream with `for await`, as the extractor then did:
 * that anchor was itself ~4x slower than a plain token pass and hid the extractor's cost.)
 * Each pass runs --runs times (default 3), one at a time; the medians of wall time and of CPU time
 * (user+sys, steadier on a loaded machine) are printed, with the ratio of extract to the fastest anchor.
 * Targets: extract peak RSS <= 300 MB and time <= 1.5x the fastest token pass. Also checks that extract
 * kept exactly the SKUs the generator marked canonical (not checked with --input: a file not generated).
 *
 *   node --import tsx bench/aws-offer.ts [--mb 500] [--runs 3] [--keep FILE | --input FILE]
 */
import { fork } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parser } from 'stream-json';
import { jsonParser } from 'stream-json/core/parser.js';
import { isMany, none } from 'stream-chain/defs.js';
import { whenReady } from 'stream-chain/utils/fixUtf8Stream.js';
import { extractOffer } from '../src/sources/aws/offer-stream.ts';
import { mulberry32 } from '../src/lib/random.ts';

const SKU_TABLE = resolve(import.meta.dirname, '../data/reference/cloud-skus.json');

interface ChildResult {
  kind: string;
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  tokens?: number;
  kept?: number;
  onDemand?: number;
  reserved?: number;
}

const TOKEN_OPTIONS = { packValues: true, streamValues: false } as const;

/** Anchor 1: stream-json's parser stream, tokens counted in plain 'data' events (no async iteration). */
function countByEvents(file: string): Promise<number> {
  let tokens = 0;
  return new Promise((done, fail) => {
    const s = parser.asStream(TOKEN_OPTIONS);
    s.on('data', () => tokens++);
    pipeline(createReadStream(file), s, (e) => (e ? fail(e) : done(tokens)));
  });
}

/** Anchor 2: the same tokenizer called once per chunk of the file, no stream in between. */
function countByChunks(file: string): Promise<number> {
  // the tokenizer is flushed by calling it with `none` (stream-chain's end-of-input mark)
  const tokenize = jsonParser(TOKEN_OPTIONS) as (text: string | typeof none) => unknown;
  const decoder = new StringDecoder('utf8');
  let tokens = 0;
  const count = (r: unknown) => {
    if (isMany(r)) tokens += r.values.length;
    else if (r !== none) tokens++;
  };
  return new Promise((done, fail) => {
    createReadStream(file)
      .on('data', (c: string | Buffer) => count(tokenize(decoder.write(c))))
      .on('error', fail)
      .on('end', () => {
        count(tokenize(decoder.end()));
        count(tokenize(none));
        done(tokens);
      });
  });
}

async function child(kind: string, file: string): Promise<ChildResult> {
  await whenReady(); // stream-json's parser stream decodes with StringDecoder once this resolves
  const allow = new Set(
    Object.keys((JSON.parse(readFileSync(SKU_TABLE, 'utf8')) as { aws: Record<string, unknown> }).aws),
  );
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const res: Partial<ChildResult> = { kind };
  if (kind === 'events') res.tokens = await countByEvents(file);
  else if (kind === 'chunks') res.tokens = await countByChunks(file);
  else if (kind === 'extract') {
    const ex = await extractOffer(createReadStream(file), allow);
    res.kept = ex.products.length;
    res.onDemand = Object.keys(ex.onDemandUsdPerHour).length;
    res.reserved = Object.keys(ex.reservedUsdPerHour).length;
  } else throw new Error(`--child: unknown pass "${kind}" (expected events, chunks or extract)`);
  const cpu = process.cpuUsage(cpu0);
  return {
    ...res,
    kind,
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

if (process.argv[2] === '--child') {
  const [, , , kind, file] = process.argv;
  process.send!(await child(kind!, file!));
  process.exit(0);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const targetMb = Number(arg('--mb') ?? 500);
if (!(targetMb > 0)) throw new Error(`--mb: expected a positive number of megabytes, got ${arg('--mb')}`);
const runs = Number(arg('--runs') ?? 3);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs: expected a whole number >= 1, got ${arg('--runs')}`);

const rng = mulberry32;

async function generate(file: string, bytes: number): Promise<{ skus: number; canonicalGpu: number }> {
  const awsTypes = Object.keys(
    (JSON.parse(readFileSync(SKU_TABLE, 'utf8')) as { aws: Record<string, unknown> }).aws,
  );
  const other = [
    'm5.large',
    'm5.xlarge',
    'c6i.2xlarge',
    'r6g.4xlarge',
    't3.micro',
    'i4i.8xlarge',
    'c7g.16xlarge',
    'x2iedn.32xlarge',
  ];
  const oses = ['Linux', 'Linux', 'Windows', 'RHEL', 'SUSE'];
  const tenancies = ['Shared', 'Shared', 'Dedicated', 'Host'];
  const caps = ['Used', 'Used', 'UnusedCapacityReservation', 'AllocatedCapacityReservation'];
  const sw = ['NA', 'NA', 'NA', 'SQL Std'];
  const r = rng(42);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let written = 0;
  const write = async (s: string) => {
    written += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  // Per SKU the products entry is ~1.3 KB, OnDemand ~0.5 KB, Reserved (6 offerings) ~6.5 KB:
  // ~8.3 KB per SKU (measured).
  const n = Math.max(10, Math.round(bytes / 8_300));
  const skus: { sku: string; type: string; os: string; canonical: boolean }[] = [];
  let canonicalGpu = 0;
  await write(
    '{\n' +
      '  "formatVersion" : "v1.0",\n' +
      '  "disclaimer" : "This pricing list is for informational purposes only. ' +
      'SYNTHETIC: generated by bench/aws-offer.ts",\n' +
      '  "offerCode" : "AmazonEC2",\n' +
      '  "version" : "20261101000000",\n' +
      '  "publicationDate" : "2026-11-01T00:00:00Z",\n' +
      '  "products" : {\n',
  );
  for (let i = 0; i < n; i++) {
    const sku = `SYN${i.toString(36).toUpperCase().padStart(13, '0')}`;
    const type = r() < 0.3 ? pick(awsTypes) : pick(other);
    const os = pick(oses),
      ten = pick(tenancies),
      cap = pick(caps),
      pre = pick(sw);
    const family = r() < 0.95 ? 'Compute Instance' : 'Compute Instance (bare metal)';
    const lic = os === 'Windows' && r() < 0.5 ? 'Bring your own license' : 'No License required';
    const canonical =
      family === 'Compute Instance' &&
      awsTypes.includes(type) &&
      os === 'Linux' &&
      ten === 'Shared' &&
      cap === 'Used' &&
      pre === 'NA' &&
      lic === 'No License required';
    if (canonical) canonicalGpu++;
    skus.push({ sku, type, os, canonical });
    await write(
      `${i ? ',\n' : ''}    "${sku}" : {\n` +
        `      "sku" : "${sku}",\n` +
        `      "productFamily" : "${family}",\n` +
        `      "attributes" : {\n` +
        `        "servicecode" : "AmazonEC2",\n` +
        `        "location" : "US East (N. Virginia)",\n` +
        `        "locationType" : "AWS Region",\n` +
        `        "instanceType" : "${type}",\n` +
        `        "currentGeneration" : "Yes",\n` +
        `        "instanceFamily" : "${awsTypes.includes(type) ? 'GPU instance' : 'General purpose'}",\n` +
        `        "vcpu" : "${4 << Math.floor(r() * 5)}",\n` +
        `        "physicalProcessor" : "AMD EPYC 7R32",\n` +
        `        "clockSpeed" : "3.3 GHz",\n` +
        `        "memory" : "${16 << Math.floor(r() * 5)} GiB",\n` +
        `        "storage" : "1 x 250 NVMe SSD",\n` +
        `        "networkPerformance" : "Up to 25 Gigabit",\n` +
        `        "processorArchitecture" : "64-bit",\n` +
        `        "tenancy" : "${ten}",\n` +
        `        "operatingSystem" : "${os}",\n` +
        `        "licenseModel" : "${lic}",\n` +
        `        "usagetype" : "BoxUsage:${type}",\n` +
        `        "operation" : "RunInstances",\n` +
        `        "capacitystatus" : "${cap}",\n` +
        `        "gpu" : "${awsTypes.includes(type) ? 1 << Math.floor(r() * 4) : 0}",\n` +
        `        "gpuMemory" : "NA",\n` +
        `        "marketoption" : "OnDemand",\n` +
        `        "normalizationSizeFactor" : "8",\n` +
        `        "preInstalledSw" : "${pre}",\n` +
        `        "regionCode" : "us-east-1",\n` +
        `        "servicename" : "Amazon Elastic Compute Cloud",\n` +
        `        "vpcnetworkingsupport" : "true"\n` +
        `      }\n` +
        `    }`,
    );
  }
  await write('\n  },\n  "terms" : {\n    "OnDemand" : {\n');
  const dim = (sku: string, code: string, rate: string, unit: string, usd: number, desc: string) =>
    `"${sku}.${code}.${rate}" : {\n` +
    `            "rateCode" : "${sku}.${code}.${rate}",\n` +
    `            "description" : "${desc}",\n` +
    `            "beginRange" : "0",\n` +
    `            "endRange" : "Inf",\n` +
    `            "unit" : "${unit}",\n` +
    `            "pricePerUnit" : {\n` +
    `              "USD" : "${usd.toFixed(10)}"\n` +
    `            },\n` +
    `            "appliesTo" : [ ]\n` +
    `          }`;
  for (let i = 0; i < skus.length; i++) {
    const { sku } = skus[i]!;
    const p = 0.1 + r() * 30;
    const hour = dim(
      sku,
      'JRTCKXETXF',
      '6YS6EN2CT7',
      'Hrs',
      p,
      `$${p.toFixed(3)} per On Demand Instance Hour`,
    );
    await write(
      `${i ? ',\n' : ''}      "${sku}" : {\n` +
        `        "${sku}.JRTCKXETXF" : {\n` +
        `          "offerTermCode" : "JRTCKXETXF",\n` +
        `          "sku" : "${sku}",\n` +
        `          "effectiveDate" : "2026-11-01T00:00:00Z",\n` +
        `          "priceDimensions" : {\n` +
        `            ${hour}\n` +
        `          },\n` +
        `          "termAttributes" : { }\n` +
        `        }\n` +
        `      }`,
    );
  }
  await write('\n    },\n    "Reserved" : {\n');
  const offerings: [string, string, string, string][] = [
    ['4NA7Y494T4', '1yr', 'standard', 'No Upfront'],
    ['6QCMYABX3D', '1yr', 'standard', 'All Upfront'],
    ['HU7G6KETJZ', '1yr', 'standard', 'Partial Upfront'],
    ['38NPMPTW36', '3yr', 'standard', 'Partial Upfront'],
    ['NQ3QZPMQV9', '3yr', 'standard', 'All Upfront'],
    ['7NE97W5U4E', '1yr', 'convertible', 'No Upfront'],
  ];
  for (let i = 0; i < skus.length; i++) {
    const { sku } = skus[i]!;
    const base = 0.05 + r() * 20;
    const terms = offerings.map(([code, len, cls, opt]) => {
      const years = len === '1yr' ? 1 : 3;
      const hourly =
        opt === 'All Upfront' ? 0 : base * (opt === 'Partial Upfront' ? 0.5 : 1) * (years === 3 ? 0.6 : 0.8);
      const upfront =
        opt === 'No Upfront'
          ? 0
          : base * 8760 * years * (opt === 'All Upfront' ? 1 : 0.5) * (years === 3 ? 0.58 : 0.78);
      const dims = [dim(sku, code, '6YS6EN2CT7', 'Hrs', hourly, `per ${len} ${opt} hour`)];
      if (upfront > 0) dims.push(dim(sku, code, '2TG2D8R56U', 'Quantity', upfront, 'Upfront Fee'));
      return (
        `"${sku}.${code}" : {\n` +
        `          "offerTermCode" : "${code}",\n` +
        `          "sku" : "${sku}",\n` +
        `          "effectiveDate" : "2026-11-01T00:00:00Z",\n` +
        `          "priceDimensions" : {\n` +
        `            ${dims.join(',\n            ')}\n` +
        `          },\n` +
        `          "termAttributes" : {\n` +
        `            "LeaseContractLength" : "${len}",\n` +
        `            "OfferingClass" : "${cls}",\n` +
        `            "PurchaseOption" : "${opt}"\n` +
        `          }\n` +
        `        }`
      );
    });
    await write(`${i ? ',\n' : ''}      "${sku}" : {\n        ${terms.join(',\n        ')}\n      }`);
  }
  await write('\n    }\n  }\n}\n');
  out.end();
  await once(out, 'finish');
  void written;
  return { skus: skus.length, canonicalGpu };
}

function runChild(kind: string, file: string): Promise<ChildResult> {
  return new Promise((res, rej) => {
    const c = fork(import.meta.filename, ['--child', kind, file], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    let got: ChildResult | null = null;
    c.on('message', (m) => {
      got = m as ChildResult;
    });
    c.on('exit', (code) => (got && code === 0 ? res(got) : rej(new Error(`${kind} pass exited ${code}`))));
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Summary {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  last: ChildResult;
  all: ChildResult[];
}

/** Runs each pass `runs` times, one process at a time, interleaved so load drift hits all alike. */
async function measure(kinds: string[], file: string): Promise<Map<string, Summary>> {
  const got = new Map<string, ChildResult[]>(kinds.map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const k of kinds) got.get(k)!.push(await runChild(k, file));
  return new Map(
    [...got].map(([k, all]) => [
      k,
      {
        seconds: median(all.map((r) => r.seconds)),
        cpuSeconds: median(all.map((r) => r.cpuSeconds)),
        maxRssMb: Math.max(...all.map((r) => r.maxRssMb)),
        last: all.at(-1)!,
        all,
      },
    ]),
  );
}

const input = arg('--input');
const keep = arg('--keep');
if (input && keep) throw new Error('--input and --keep: give one (--input times an existing file)');
const dir = keep || input ? null : mkdtempSync(join(tmpdir(), 'rigpivot-bench-aws-'));
const file = input ?? keep ?? join(dir!, 'offer-us-east-1.synthetic.json');
try {
  let gen: { skus: number; canonicalGpu: number } | null = null;
  if (!input) {
    const g0 = performance.now();
    gen = await generate(file, targetMb * 1e6);
    console.log(
      `bench/aws-offer: synthetic AWS EC2 offer file in the real shape, ` +
        `${gen.skus.toLocaleString('en-US')} SKUs (${gen.canonicalGpu} canonical GPU SKUs), ` +
        `generated in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
    );
  }
  const mb = statSync(file).size / 1e6;
  console.log(
    `bench/aws-offer: ${file} (${mb.toFixed(0)} MB), median of ${runs} run(s) per pass, ` +
      `node ${process.version}, ${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const m = await measure(['events', 'chunks', 'extract'], file);
  const events = m.get('events')!,
    chunks = m.get('chunks')!,
    ex = m.get('extract')!;
  const line = (r: Summary, what: string) =>
    `  ${what.padEnd(44)} ${r.seconds.toFixed(2).padStart(6)} s wall ` +
    `${r.cpuSeconds.toFixed(2).padStart(6)} s cpu ${(mb / r.seconds).toFixed(1).padStart(6)} MB/s  ` +
    `peak RSS ${r.maxRssMb.toFixed(0).padStart(4)} MB  [wall ${r.all.map((x) => x.seconds.toFixed(2)).join(', ')}]`;
  console.log(line(events, `token pass, parser stream 'data' events`));
  console.log(line(chunks, `token pass, tokenizer per chunk`));
  console.log(line(ex, 'extractOffer (filter + terms)'));
  if (events.last.tokens !== chunks.last.tokens)
    throw new Error(`the anchors disagree: ${events.last.tokens} vs ${chunks.last.tokens} tokens`);
  console.log(`  ${chunks.last.tokens!.toLocaleString('en-US')} tokens`);
  const fastest = events.seconds <= chunks.seconds ? events : chunks;
  const fastestCpu = Math.min(events.cpuSeconds, chunks.cpuSeconds);
  console.log(
    `  extract / fastest token pass: ${(ex.seconds / fastest.seconds).toFixed(2)}x wall, ` +
      `${(ex.cpuSeconds / fastestCpu).toFixed(2)}x cpu (target <= 1.5x); ` +
      `extract peak RSS ${ex.maxRssMb.toFixed(0)} MB (target <= 300 MB)`,
  );
  const x = ex.last;
  if (gen) {
    const ok = x.kept === gen.canonicalGpu && x.onDemand === gen.canonicalGpu;
    console.log(
      `  kept ${x.kept} products, ${x.onDemand} on-demand prices, ${x.reserved} reserved: ` +
        `${ok ? 'matches' : 'DOES NOT MATCH'} the ${gen.canonicalGpu} canonical GPU SKUs generated`,
    );
    if (!ok) process.exitCode = 1;
  } else console.log(`  kept ${x.kept} products, ${x.onDemand} on-demand prices, ${x.reserved} reserved`);
} finally {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
