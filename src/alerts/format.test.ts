import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyFor, discordBody, figureText, slackBody, telegramBody } from './format.ts';
import type { Alert, AlertEvent } from './types.ts';

const event: AlertEvent = { event: 'daily', date: '2026-12-02', generatedAt: '2026-12-02T06:00:00.000Z' };

const alert = (i: number, figures = 2): Alert => ({
  rule: 'quarantine',
  severity: 'warning',
  title: `Quarantined coingecko coin.priceUsd RVN <${i}> & co`,
  detail: 'jumped x98 in a day. Not used.',
  figures: Array.from({ length: figures }, (_, k) => ({
    label: `figure ${k}`,
    value: 1234567.891 + k,
    unit: 'USD/coin',
    asOf: '2026-12-01',
    source: 'coingecko',
    kind: 'measured',
    ...(k === 0 ? { previous: { value: 0.0056, asOf: '2026-11-30' } } : {}),
  })),
  source: 'coingecko',
});

test('a figure reads with value, unit, as-of, source, kind and what it was', () => {
  assert.equal(
    figureText(alert(1).figures[0]!),
    'figure 0: 1,234,570 USD/coin (as of 2026-12-01, coingecko, measured; was 0.0056 as of 2026-11-30)',
  );
});

interface SlackBlock {
  type: string;
  text?: { type: string; text: string };
  elements?: unknown[];
}

test('Slack: text fallback plus a header and one escaped mrkdwn section per alert, within block limits', () => {
  const b = slackBody(event, [alert(1), alert(2)]) as { text: string; blocks: SlackBlock[] };
  assert.match(b.text, /^rigpivot daily 2026-12-02: 2 alerts: Quarantined/);
  assert.deepEqual(
    b.blocks.map((x) => [x.type, x.text?.type]),
    [
      ['header', 'plain_text'],
      ['section', 'mrkdwn'],
      ['section', 'mrkdwn'],
    ],
  );
  assert.match(b.blocks[1]!.text!.text, /^\*Quarantined coingecko coin\.priceUsd RVN &lt;1&gt; &amp; co\*/);
  assert.match(b.blocks[1]!.text!.text, /• figure 1: 1,234,570 USD\/coin \(as of 2026-12-01/);
  const many = slackBody(
    event,
    Array.from({ length: 60 }, (_, i) => alert(i, 200)),
  ) as { blocks: SlackBlock[] };
  assert.ok(many.blocks.length <= 50, `${many.blocks.length} blocks`);
  assert.equal(many.blocks.at(-1)!.type, 'context');
  for (const x of many.blocks.filter((y) => y.type === 'section')) assert.ok(x.text!.text.length <= 3000);
});

interface DiscordEmbed {
  title: string;
  description: string;
  color: number;
  fields: { name: string; value: string; inline: boolean }[];
  timestamp: string;
}

test('Discord: content plus one embed per alert with figures as fields, within every Discord limit', () => {
  const b = discordBody(event, [alert(1)]) as {
    content: string;
    embeds: DiscordEmbed[];
    allowed_mentions: { parse: string[] };
  };
  assert.equal(b.content, 'rigpivot daily 2026-12-02: 1 alert');
  assert.deepEqual(b.allowed_mentions, { parse: [] }, 'alert text never pings anyone');
  const [e] = b.embeds;
  assert.equal(e!.title, 'Quarantined coingecko coin.priceUsd RVN <1> & co');
  assert.equal(e!.fields.length, 2);
  assert.equal(e!.fields[1]!.name, 'figure 1');
  assert.equal(e!.timestamp, event.generatedAt);
  const big = discordBody(
    event,
    Array.from({ length: 30 }, (_, i) => alert(i, 40)),
  ) as {
    content: string;
    embeds: DiscordEmbed[];
  };
  assert.ok(big.embeds.length <= 10);
  assert.match(big.content, /more not shown/);
  const fieldChars = (x: DiscordEmbed) => x.fields.reduce((m, f) => m + f.name.length + f.value.length, 0);
  const chars = big.embeds.reduce((n, x) => n + x.title.length + x.description.length + fieldChars(x), 0);
  assert.ok(chars <= 6000, `${chars} characters over all embeds`);
  for (const x of big.embeds) assert.ok(x.fields.length <= 25 && x.title.length <= 256);
});

test('Telegram: sendMessage with chat_id and plain text of at most 4096 characters', () => {
  const b = telegramBody(
    event,
    Array.from({ length: 100 }, (_, i) => alert(i)),
    '@ops',
  ) as {
    chat_id: string;
    text: string;
  };
  assert.equal(b.chat_id, '@ops');
  assert.ok(b.text.length <= 4096 && b.text.startsWith('rigpivot daily 2026-12-02: 100 alerts'));
});

test('generic JSON carries the event and every alert as computed', () => {
  const a = alert(1);
  assert.deepEqual(bodyFor({ kind: 'json', urlEnv: 'X' }, event, [a]), {
    rigpivot: { ...event, count: 1 },
    alerts: [a],
  });
});
