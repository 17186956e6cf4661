import { pipeline, type Readable } from 'node:stream';
import { parser } from 'stream-json';
import { SourceSchemaError } from '../../errors.ts';

/**
 * Streaming extract of an AWS EC2 regional offer file (~480 MB for us-east-1, beyond V8's string limit).
 * One pass over the tokens: products first (only their flat attributes are kept), then terms.OnDemand and
 * terms.Reserved, of which only the SKUs that passed the product filter are assembled. Memory stays at the
 * size of the kept GPU SKUs. The canonical filter (as in vantage-sh/ec2instances.info and Pulumi's
 * pricing/getProduct docs) keeps productFamily "Compute
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

interface Token {
  name: string;
  value?: string | number | boolean | null;
}

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
        this.key = t.value as string;
        return false;
      case 'stringValue':
      case 'numberValue':
      case 'trueValue':
      case 'falseValue':
      case 'nullValue':
        this.add(
          t.name === 'trueValue'
            ? true
            : t.name === 'falseValue'
              ? false
              : t.name === 'nullValue'
                ? null
                : t.value,
        );
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

export async function extractOffer(
  input: Readable,
  allowTypes: ReadonlySet<string>,
  onBytes?: (n: number) => void,
): Promise<OfferExtract> {
  const out: OfferExtract = {
    version: null,
    publicationDate: null,
    products: [],
    onDemandUsdPerHour: {},
    reservedUsdPerHour: {},
  };
  if (onBytes) input.on('data', (c: Buffer) => onBytes(c.length));
  const tokens = parser.asStream({ packValues: true, streamValues: false });
  // pipeline, not pipe: a failed download (deadline, size cap, reset) fails the loop below with its error
  pipeline(input, tokens, () => {});
  const path: string[] = [];
  let depth = 0;
  let attrs: Record<string, string> = {};
  let family = '';
  const kept = new Set<string>();
  let builder: Builder | null = null;
  let builderTerms: 'OnDemand' | 'Reserved' | null = null;
  for await (const t of tokens as AsyncIterable<Token>) {
    if (builder) {
      if (builder.push(t)) {
        collectTerms(out, path[3]!, builderTerms!, builder.result as Record<string, Term>);
        builder = null;
        depth--;
      }
      continue;
    }
    switch (t.name) {
      case 'keyValue':
        path[depth] = t.value as string;
        break;
      case 'startObject':
      case 'startArray':
        depth++;
        if (
          depth === 4 &&
          path[1] === 'terms' &&
          (path[2] === 'OnDemand' || path[2] === 'Reserved') &&
          kept.has(path[3]!)
        ) {
          builder = new Builder();
          builderTerms = path[2];
          builder.push(t);
        }
        break;
      case 'endObject':
      case 'endArray':
        if (depth === 3 && path[1] === 'products') {
          if (
            family === 'Compute Instance' &&
            allowTypes.has(attrs.instanceType ?? '') &&
            Object.entries(CANONICAL).every(([k, v]) => attrs[k] === v)
          ) {
            kept.add(path[2]!);
            out.products.push({
              sku: path[2]!,
              instanceType: attrs.instanceType!,
              regionCode: attrs.regionCode ?? '',
              location: attrs.location ?? '',
            });
          }
          attrs = {};
          family = '';
        }
        depth--;
        break;
      case 'stringValue':
        if (path[1] === 'products') {
          if (depth === 4 && path[3] === 'attributes') attrs[path[4]!] = t.value as string;
          else if (depth === 3 && path[3] === 'productFamily') family = t.value as string;
        } else if (depth === 1) {
          if (path[1] === 'version') out.version = t.value as string;
          else if (path[1] === 'publicationDate') out.publicationDate = t.value as string;
        }
        break;
      default:
        break;
    }
  }
  if (depth !== 0)
    throw new SourceSchemaError(
      'aws',
      `offer file ended inside the JSON (depth ${depth}): truncated download?`,
    );
  return out;
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
