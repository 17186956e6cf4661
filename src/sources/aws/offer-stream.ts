import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { SourceSchemaError } from '../../errors.ts';

// stream-chain's protocol marks (stream-json's own dependency, not ours: global symbols, shared by
// design): the end of input a tokenizer is flushed with, and the wrapper of the tokens of one call
const NONE = Symbol.for('object-stream.none');
const MANY = Symbol.for('object-stream.many');

/**
 * Streaming extract of an AWS EC2 regional offer file (~480 MB for us-east-1, beyond V8's string limit).
 * One pass over the tokens: products first (only their flat attributes are kept), then terms.OnDemand and
 * terms.Reserved, of which only the SKUs that passed the product filter are assembled. Memory stays at the
 * size of the kept GPU SKUs. The tokenizer (stream-json's) is called once per chunk and its tokens go
 * through a small synchronous state machine (depth + the key at each depth): no token stream and no async
 * iteration per token, which cost 4-6x the token pass itself. The canonical filter (as in
 * vantage-sh/ec2instances.info and Pulumi's pricing/getProduct docs) keeps productFamily "Compute
 * Instance", operatingSystem Linux, tenancy Shared, preInstalledSw NA, capacitystatus Used, licenseModel
 * "No License required".
 */
export interface OfferExtract {
  version: string | null;
  publicationDate: string | null;
  products: { sku: string; instanceType: string; regionCode: string; location: string }[];
  onDemandUsdPerHour: Record<string, number>;
  /** sku -> lowest effective hourly price among standard offerings, per term length. */
  reservedUsdPerHour: Record<string, { '1y'?: number; '3y'?: number }>;
}

const CANONICAL: Record<string, string> = {
  operatingSystem: 'Linux',
  tenancy: 'Shared',
  preInstalledSw: 'NA',
  capacitystatus: 'Used',
  licenseModel: 'No License required',
};

/** A tiny object assembler for the few term objects we keep. */
class Builder {
  private stack: (Record<string, unknown> | unknown[])[] = [];
  private key: string | null = null;
  result: unknown = undefined;
  push(t: Token): boolean {
    switch (t.name) {
      case 'startObject':
      case 'startArray': {
        const c = t.name === 'startObject' ? {} : [];
        this.add(c);
        this.stack.push(c);
        return false;
      }
      case 'endObject':
      case 'endArray':
        this.stack.pop();
        return this.stack.length === 0;
      case 'keyValue':
        this.key = t.value;
        return false;
      case 'stringValue':
      case 'numberValue':
      case 'trueValue':
      case 'falseValue':
      case 'nullValue':
        this.add(t.value);
        return false;
      default:
        return false;
    }
  }
  private add(v: unknown): void {
    const top = this.stack.at(-1);
    if (top === undefined) this.result = v;
    else if (Array.isArray(top)) top.push(v);
    else top[this.key!] = v;
  }
}

type Term = {
  termAttributes?: Record<string, string>;
  priceDimensions?: Record<string, { unit?: string; pricePerUnit?: { USD?: string } }>;
};

/** The product attributes the filter and the extract read; the ~25 others are not kept. */
const WANTED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'instanceType',
  'regionCode',
  'location',
  ...Object.keys(CANONICAL),
]);

/**
 * The extract's state machine, fed the tokens of one chunk at a time. `path[d]` is the key last seen at
 * depth d (depth 1 = the top object's keys): products are read at depth 2-4; under terms.OnDemand and
 * terms.Reserved each SKU's object (depth 4) is handed whole to a Builder when the SKU was kept, and
 * skipped (only its depth counted) when not: that is most of the file.
 */
class OfferScanner {
  readonly out: OfferExtract = {
    version: null,
    publicationDate: null,
    products: [],
    onDemandUsdPerHour: {},
    reservedUsdPerHour: {},
  };
  depth = 0;
  private readonly path: string[] = [];
  /** path[1] is "products": set with it, so values are not matched against it one by one. */
  private inProducts = false;
  /** > 0 while inside a subtree skipped unread: the depth below which skipping ends. */
  private skipBelow = 0;
  private attrs: Record<string, string> = {};
  private family = '';
  private readonly kept = new Set<string>();
  private builder: Builder | null = null;
  private builderTerms: 'OnDemand' | 'Reserved' = 'OnDemand';

  constructor(private readonly allowTypes: ReadonlySet<string>) {}

  feed(tokens: readonly Token[]): void {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const name = t.name;
      if (this.skipBelow !== 0) {
        if (name === 'startObject' || name === 'startArray') this.depth++;
        else if ((name === 'endObject' || name === 'endArray') && --this.depth < this.skipBelow)
          this.skipBelow = 0;
      } else if (this.builder) {
        if (this.builder.push(t)) {
          collectTerms(
            this.out,
            this.path[3]!,
            this.builderTerms,
            this.builder.result as Record<string, Term>,
          );
          this.builder = null;
          this.depth--;
        }
      } else if (name === 'keyValue') {
        this.path[this.depth] = t.value;
        if (this.depth === 1) this.inProducts = t.value === 'products';
      } else if (name === 'stringValue') this.value(t.value);
      else if (name === 'startObject' || name === 'startArray') {
        if (++this.depth === 4 && !this.inProducts) this.enter(t);
      } else if (name === 'endObject' || name === 'endArray') {
        if (this.depth === 3 && this.inProducts) this.endProduct();
        this.depth--;
      }
    }
  }

  /** At depth 4 outside products: the terms of a kept SKU are assembled, other subtrees skipped. */
  private enter(t: Token): void {
    const path = this.path;
    const terms = path[2];
    if (path[1] !== 'terms' || (terms !== 'OnDemand' && terms !== 'Reserved') || !this.kept.has(path[3]!)) {
      this.skipBelow = 4;
      return;
    }
    this.builder = new Builder();
    this.builderTerms = terms;
    this.builder.push(t);
  }

  private value(v: string): void {
    const path = this.path;
    const depth = this.depth;
    if (this.inProducts) {
      if (depth === 4) {
        const key = path[4]!;
        if (path[3] === 'attributes' && WANTED_ATTRIBUTES.has(key)) this.attrs[key] = v;
      } else if (depth === 3 && path[3] === 'productFamily') this.family = v;
    } else if (depth === 1) {
      if (path[1] === 'version') this.out.version = v;
      else if (path[1] === 'publicationDate') this.out.publicationDate = v;
    }
  }

  private endProduct(): void {
    const attrs = this.attrs;
    const sku = this.path[2]!;
    if (
      this.family === 'Compute Instance' &&
      this.allowTypes.has(attrs.instanceType ?? '') &&
      Object.entries(CANONICAL).every(([k, v]) => attrs[k] === v)
    ) {
      this.kept.add(sku);
      this.out.products.push({
        sku,
        instanceType: attrs.instanceType!,
        regionCode: attrs.regionCode ?? '',
        location: attrs.location ?? '',
      });
    }
    this.attrs = {};
    this.family = '';
  }
}

/** A sink that decodes each chunk, tokenizes it and feeds the scanner, all synchronously. */
function scannerSink(scanner: OfferScanner, onBytes?: (n: number) => void): Writable {
  const decoder = new StringDecoder('utf8');
  // flushed by a call with NONE
  const tokenize = jsonParser({ packValues: true, streamValues: false }) as (
    text: string | symbol,
  ) => unknown;
  let bytes = 0;
  let atStart = true;
  const run = (text: string | symbol) => {
    let r: unknown;
    try {
      r = tokenize(text);
    } catch (e) {
      throw new SourceSchemaError(
        'aws',
        `offer file is not valid JSON (within its first ${bytes} bytes): ${(e as Error).message}`,
      );
    }
    if ((r as { [MANY]?: number } | null)?.[MANY] === 1) scanner.feed((r as { values: Token[] }).values);
    else if (r !== NONE) scanner.feed([r as Token]);
  };
  const guarded = (fn: () => void, done: (e?: Error | null) => void) => {
    try {
      fn();
      done();
    } catch (e) {
      done(e as Error);
    }
  };
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      onBytes?.(chunk.length);
      guarded(() => {
        let text = decoder.write(chunk);
        // a byte-order mark is not JSON: dropped, as stream-json's parser stream does
        if (atStart && text) {
          atStart = false;
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        }
        run(text);
      }, done);
    },
    final(done) {
      guarded(() => {
        run(decoder.end());
        run(NONE);
      }, done);
    },
  });
}

export async function extractOffer(
  input: Readable,
  allowTypes: ReadonlySet<string>,
  onBytes?: (n: number) => void,
): Promise<OfferExtract> {
  const scanner = new OfferScanner(allowTypes);
  // pipeline: a failed download (deadline, size cap, reset) rejects here with its error, and a bad
  // offer file destroys the download
  await pipeline(input, scannerSink(scanner, onBytes));
  if (scanner.depth !== 0)
    throw new SourceSchemaError(
      'aws',
      `offer file ended inside the JSON (depth ${scanner.depth}): truncated download?`,
    );
  return scanner.out;
}

function collectTerms(
  out: OfferExtract,
  sku: string,
  kind: 'OnDemand' | 'Reserved',
  terms: Record<string, Term>,
): void {
  for (const [code, term] of Object.entries(terms)) {
    const dims = Object.values(term.priceDimensions ?? {});
    const price = (d: (typeof dims)[number]) => Number(d.pricePerUnit?.USD);
    if (kind === 'OnDemand') {
      const hourly = dims.filter((d) => d.unit === 'Hrs');
      if (hourly.length !== 1 || !Number.isFinite(price(hourly[0]!)))
        throw new SourceSchemaError(
          'aws',
          `OnDemand term ${code} of ${sku} has ${hourly.length} hourly price dimensions (expected exactly 1)`,
        );
      if (price(hourly[0]!) > 0) out.onDemandUsdPerHour[sku] = price(hourly[0]!);
      continue;
    }
    const a = term.termAttributes ?? {};
    if (a.OfferingClass !== 'standard') continue;
    const years = a.LeaseContractLength === '1yr' ? 1 : a.LeaseContractLength === '3yr' ? 3 : null;
    if (years === null) continue;
    const hourly = dims.filter((d) => d.unit === 'Hrs').reduce((s, d) => s + price(d), 0);
    const upfront = dims.filter((d) => d.unit === 'Quantity').reduce((s, d) => s + price(d), 0);
    const effective = hourly + upfront / (years * 8_760);
    if (!(effective > 0)) continue;
    const slot = (out.reservedUsdPerHour[sku] ??= {});
    const k = years === 1 ? '1y' : '3y';
    slot[k] = Math.min(slot[k] ?? Infinity, effective);
  }
}
