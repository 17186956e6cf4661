/**
 * JSON.parse that keeps integers beyond 2^53 exact: such literals become strings (e.g. Ergo's headersScore
 * ~1e21). Callers convert the fields they need (BigInt or Number) knowingly.
 */
export function parseJsonLossless(text: string): unknown {
  let out = '';
  let i = 0;
  let last = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n && text.charCodeAt(i) !== 34) i += text.charCodeAt(i) === 92 /* \ */ ? 2 : 1;
      i++;
      continue;
    }
    if ((c >= 48 && c <= 57) || c === 45 /* - */) {
      let j = i + 1;
      while (j < n && /[0-9.eE+-]/.test(text[j]!)) j++;
      const lit = text.slice(i, j);
      if (/^-?\d{16,}$/.test(lit) && !Number.isSafeInteger(Number(lit))) {
        out += `${text.slice(last, i)}"${lit}"`;
        last = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return JSON.parse(out + text.slice(last));
}

/**
 * A JSON integer that may have been kept as a string by parseJsonLossless, as a Number (for difficulty-sized
 * values).
 */
export function toNumber(v: unknown): number {
  return typeof v === 'string' ? Number(v) : (v as number);
}
