import type { AlertTarget } from '../config/alerts.ts';
import type { Alert, AlertEvent, Figure, Severity } from './types.ts';

/**
 * Webhook bodies, one per target and run, holding every alert of the run:
 * - json: `{ rigpivot: {event, date, generatedAt, count}, alerts: Alert[] }`, every field as computed;
 * - slack (incoming webhook): `{ text, blocks }`: `text` is the notification fallback; a header block and
 *   one mrkdwn section per alert (Slack: at most 50 blocks, section text <= 3,000, header <= 150 chars);
 * - discord (execute webhook): `{ content, embeds, allowed_mentions }`: content <= 2,000 chars, at most
 *   10 embeds, title <= 256, description <= 4,096, <= 25 fields (name <= 256, value <= 1,024), 6,000
 *   chars over all embeds; mentions are switched off so no alert text pings anyone;
 * - telegram (Bot API sendMessage): `{ chat_id, text, disable_web_page_preview }`, plain text <= 4,096.
 */

const num = (v: number) => v.toLocaleString('en-US', { maximumSignificantDigits: 6 });

/** "RVN price: 0.0123 USD/coin (as of 2026-11-30, coingecko, measured; was 0.0101 as of 2026-11-29)". */
export function figureText(f: Figure): string {
  const meta = [f.asOf ? `as of ${f.asOf}` : 'no as-of', f.source, f.kind].filter(Boolean).join(', ');
  const was = f.previous
    ? `; was ${num(f.previous.value)}${f.previous.asOf ? ` as of ${f.previous.asOf}` : ''}`
    : '';
  return `${f.label}: ${num(f.value)} ${f.unit} (${meta}${was})`.replace(/ {2,}/g, ' ');
}

/** One alert as plain text: title, detail, one line per figure, source. */
export function alertText(a: Alert): string {
  return [
    `[${a.severity}] ${a.title}`,
    a.detail,
    ...a.figures.map((f) => `- ${figureText(f)}`),
    `source: ${a.source}`,
  ].join('\n');
}

export function summaryLine(e: AlertEvent, alerts: readonly Alert[]): string {
  const what =
    e.event === 'test' ? 'test message' : `${alerts.length} alert${alerts.length === 1 ? '' : 's'}`;
  return `rigpivot ${e.event} ${e.date}: ${what}`;
}

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

export function jsonBody(e: AlertEvent, alerts: readonly Alert[]): object {
  return { rigpivot: { ...e, count: alerts.length }, alerts };
}

/** Slack mrkdwn needs &, < and > escaped. */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackBody(e: AlertEvent, alerts: readonly Alert[]): object {
  const sections = alerts.slice(0, 48).map((a) => ({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: clip(
        [
          `*${slackEscape(a.title)}*`,
          slackEscape(a.detail),
          ...a.figures.map((f) => `• ${slackEscape(figureText(f))}`),
          `_source: ${slackEscape(a.source)}_`,
        ].join('\n'),
        3000,
      ),
    },
  }));
  const more =
    alerts.length > 48
      ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${alerts.length - 48} more alerts` }] }]
      : [];
  return {
    text: clip(`${summaryLine(e, alerts)}${alerts[0] ? `: ${alerts[0].title}` : ''}`, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(summaryLine(e, alerts), 150) } },
      ...sections,
      ...more,
    ],
  };
}

const COLOR: Record<Severity, number> = { action: 0x3e63dd, warning: 0xf5a524, info: 0x8b8d98 };

/** Discord: one embed per alert (at most 10), figures as fields, within the 6,000-character total. */
export function discordBody(e: AlertEvent, alerts: readonly Alert[]): object {
  let budget = 5800;
  const take = (s: string, max: number) => {
    const out = clip(s, Math.max(1, Math.min(max, budget)));
    budget -= out.length;
    return out;
  };
  const embeds = [];
  for (const a of alerts.slice(0, 10)) {
    if (budget < 200) break;
    const title = take(a.title, 256);
    const description = take(`${a.detail}\nsource: ${a.source}`, 1500);
    const fields = [];
    for (const f of a.figures.slice(0, 25)) {
      if (budget < 100) break;
      fields.push({ name: take(f.label, 256), value: take(figureText(f), 1024), inline: false });
    }
    embeds.push({ title, description, color: COLOR[a.severity], fields, timestamp: e.generatedAt });
  }
  const left = alerts.length - embeds.length;
  return {
    content: clip(
      `${summaryLine(e, alerts)}${left > 0 ? ` (${left} more not shown: see the log)` : ''}`,
      2000,
    ),
    embeds,
    allowed_mentions: { parse: [] },
  };
}

export function telegramBody(e: AlertEvent, alerts: readonly Alert[], chatId: string | number): object {
  const text = [summaryLine(e, alerts), ...alerts.map(alertText)].join('\n\n');
  return { chat_id: chatId, text: clip(text, 4096), disable_web_page_preview: true };
}

/** The body a target receives for this run's alerts. */
export function bodyFor(target: AlertTarget, e: AlertEvent, alerts: readonly Alert[]): object {
  switch (target.kind) {
    case 'json':
      return jsonBody(e, alerts);
    case 'slack':
      return slackBody(e, alerts);
    case 'discord':
      return discordBody(e, alerts);
    case 'telegram':
      return telegramBody(e, alerts, target.chatId!);
  }
}
