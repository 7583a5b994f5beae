// The deployment files (docs/deploy) cannot be run here — images cannot be pulled — so they are checked
// as files: the compose file parsed and its settings asserted, the Dockerfile read and linted by hadolint
// (installed by test/prepare-machine.sh).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { repoRoot } from '../helpers/server.js';

const deploy = path.join(repoRoot, 'docs', 'deploy');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown> | string[];
  volumes?: string[];
  healthcheck?: unknown;
}

describe('deployment files (docs/deploy)', () => {
  const compose = yaml.load(readFileSync(path.join(deploy, 'compose.yaml'), 'utf8')) as { services: Record<string, Service> };
  const dockerfile = readFileSync(path.join(deploy, 'Dockerfile'), 'utf8');

  it('runs a three-member replica set, two Accord instances on it and nginx in front', () => {
    const mongos = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('mongo:'));
    assert.equal(mongos.length, 3);
    for (const [name, s] of mongos) {
      assert.deepEqual(s.command?.slice(0, 3), ['mongod', '--replSet', 'rs0'], name);
      assert.ok(s.volumes?.some((v) => v.endsWith(':/data/db')), `${name} keeps its data in a volume`);
    }
    const accords = Object.entries(compose.services).filter(([, s]) => s.build?.dockerfile === 'docs/deploy/Dockerfile');
    assert.equal(accords.length, 2);
    const nginxConf = readFileSync(path.join(deploy, 'nginx.conf'), 'utf8');
    for (const [name] of accords) assert.match(nginxConf, new RegExp(`server ${name}:3000`), `nginx sends requests to ${name}`);
    assert.doesNotMatch(nginxConf, /^\s*(ip_hash|sticky|hash)\b/m, 'no sticky sessions');
    assert.match(nginxConf, /X-Forwarded-For \$proxy_add_x_forwarded_for/);
  });

  it('gives every instance the settings a production installation needs', () => {
    for (const [name, s] of Object.entries(compose.services).filter(([, x]) => x.build)) {
      const env = s.environment!;
      // A replica-set URI names several hosts, which WHATWG URL does not take: read it by its parts.
      const [, hosts, query] = /^mongodb:\/\/([^/]+)\/\w+\?(.*)$/.exec(env.MONGODB_URI!) ?? [];
      const params = new URLSearchParams(query);
      assert.equal(params.get('replicaSet'), 'rs0', name);
      assert.equal(params.get('w'), 'majority', name);
      assert.equal(hosts?.split(',').length, 3, `${name} knows every member`);
      assert.match(env.SESSION_SECRET!, /^\$\{ACCORD_SESSION_SECRET:\?/, `${name}: the secret is required, never a default`);
      assert.equal(env.COOKIE_SECURE, 'true');
      assert.equal(env.TRUST_PROXY, 'true');
      assert.equal(env.NODE_ENV, 'production');
      assert.ok(env.PUBLIC_URL && env.SMTP_URL && env.MAIL_FROM, `${name}: public address and mail`);
    }
  });

  it('builds a small image that runs as a non-root user, with production packages and a health check', () => {
    const stages = dockerfile.match(/^FROM /gm) ?? [];
    assert.ok(stages.length >= 2, 'multi-stage');
    assert.match(dockerfile, /^FROM node:(20|22|24)-/m, 'a Node LTS base');
    assert.match(dockerfile, /npm ci --omit=dev/);
    assert.match(dockerfile, /^USER (?!root|0\b)\S+/m);
    assert.match(dockerfile, /^HEALTHCHECK .*\n?.*\/readyz/m);
    for (const dir of ['server', 'views', 'templates']) assert.match(dockerfile, new RegExp(`^COPY .* ${dir} \\./${dir}$`, 'm'));
  });

  it('passes hadolint', () => {
    const hadolint = path.join(repoRoot, '.cache', 'hadolint', 'bin', 'hadolint');
    assert.ok(existsSync(hadolint), 'hadolint is installed by test/prepare-machine.sh');
    execFileSync(hadolint, ['--failure-threshold', 'info', path.join(deploy, 'Dockerfile')], { encoding: 'utf8' });
  });
});
