import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './load.ts';

const withAlerts = (alerts: unknown) =>
  loadConfig({ env: { RIGPIVOT_CONFIG_JSON: JSON.stringify({ alerts }) } });

test('config alerts: defaults for rules, thresholds, retries; no section means no alerts', () => {
  assert.equal(loadConfig().alerts, undefined);
  const a = withAlerts({ targets: [{ kind: 'slack', urlEnv: 'RIGPIVOT_SLACK_URL' }] }).alerts!;
  assert.deepEqual(a.rules, ['adviceChange', 'sourceFailed', 'freshness', 'fragile', 'quarantine']);
  assert.deepEqual(a.thresholds, { devices: 0, usdPerDay: 10 });
  assert.equal(a.retries, 3);
});

test('config alerts: errors name the field and say what is expected', () => {
  const cases: [unknown, RegExp][] = [
    [
      { targets: [{ kind: 'slack', urlEnv: 'https://hooks.slack.com/services/T0/B0/x' }] },
      /alerts\.targets\[0\]\.urlEnv: expected the NAME of an environment variable.*never go in config files/,
    ],
    [{ targets: [{ kind: 'slack', url: 'https://x', urlEnv: 'A' }] }, /alerts\.targets\[0\].*url/],
    [{ targets: [{ kind: 'teams', urlEnv: 'A' }] }, /alerts\.targets\[0\]\.kind/],
    [
      { targets: [{ kind: 'slack', urlEnv: 'slack_url' }] },
      /alerts\.targets\[0\]\.urlEnv: .*upper-case letters, digits and _, not starting with a digit/,
    ],
    [{ targets: [{ kind: 'slack', urlEnv: 'hooks.slack.com/services/T0/B0/x' }] }, /not the URL/],
    [
      { targets: [{ kind: 'telegram', urlEnv: 'TG_URL' }] },
      /alerts\.targets\[0\]\.chatId: a telegram target/,
    ],
    [
      {
        targets: [
          { kind: 'json', urlEnv: 'A' },
          { kind: 'json', urlEnv: 'B' },
        ],
      },
      /alerts\.targets\[1\]\.name: duplicate target name "json"/,
    ],
    [{ targets: [], thresholds: { devices: -1, usdPerDay: 5 } }, /alerts\.thresholds\.devices/],
    [{ targets: [], rules: ['adviceChange', 'weather'] }, /alerts\.rules\[1\]/],
  ];
  for (const [alerts, message] of cases) assert.throws(() => withAlerts(alerts), message);
});
