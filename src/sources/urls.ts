/**
 * URL helpers of the collectors, free of the HTTP client (so modules that only check URLs, like the
 * Azure pager, do not load axios when the engine facade is imported).
 */
/**
 * Query parameters that carry a credential: API keys and tokens, and the signatures of pre-signed URLs
 * (AWS SigV4 `X-Amz-Signature` / `X-Amz-Credential` / `X-Amz-Security-Token`, Azure SAS `sig`, GCS
 * `X-Goog-Signature`), which grant access on their own.
 */
const SECRET_PARAMS = new RegExp(
  '([?&](?:api[_-]?key|apikey|key|token|access_token|password|secret|x_cg_[a-z_]+|sig|signature|' +
    'x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential)=)[^&#]*',
  'gi',
);

/** Replace credentials in a URL: query secrets and user:password@. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1***').replace(/\/\/[^/@\s]+:[^/@\s]+@/, '//***@');
}

/**
 * A redirect may go to the same host (and port) only, never from https down to http: whatever the request
 * carries (API key headers, basic auth) was meant for that host alone.
 */
export function sameHost(from: string, to: URL): boolean {
  const a = new URL(from);
  if (to.protocol !== 'https:' && to.protocol !== 'http:') return false;
  if (a.protocol === 'https:' && to.protocol !== 'https:') return false;
  return a.host === to.host;
}
