import assert from 'node:assert/strict';
import request from 'supertest';
import { signIn } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeDocument, makeUser } from '../helpers/factories.js';

const token = 'metrics-token-0123456789abcdef';

describe('operating: metrics and readiness', () => {
  it('has no /metrics unless a token is configured, and refuses a caller without the token', async () => {
    await request(testApp()).get('/metrics').expect(404);
    const app = testApp({ METRICS_TOKEN: token });
    const refused = await request(app).get('/metrics').expect(401);
    assert.match(refused.headers['www-authenticate'] ?? '', /^Bearer/);
    await request(app).get('/metrics').set('Authorization', 'Bearer not-the-token-at-all-000').expect(401);
  });

  it('reports requests by route pattern and status, database commands, the process, jobs and mails in Prometheus format', async () => {
    const app = testApp({ METRICS_TOKEN: token });
    const user = await makeUser('secretariat');
    const { id } = await makeDocument();
    const { agent } = await signIn(app, user);
    await agent.get(`/documents/${id}`).expect(200);
    await agent.get('/documents/000000000000000000000000').expect(404);
    const res = await request(app).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    assert.match(res.headers['content-type'] ?? '', /^text\/plain; version=0\.0\.4/);
    const text = res.text;
    assert.match(text, /accord_http_requests_total\{method="GET",route="\/documents\/:id",status="200"\} [1-9]/);
    assert.match(text, /accord_http_requests_total\{method="GET",route="\/documents\/:id",status="404"\} [1-9]/);
    assert.doesNotMatch(text, new RegExp(id), 'addresses are not labels');
    assert.match(text, /accord_http_request_duration_seconds_bucket\{le="0\.05",method="GET",route="\/documents\/:id",status="200"\}/);
    assert.match(text, /accord_db_operation_duration_seconds_count [1-9]/);
    assert.match(text, /accord_db_pool_wait_seconds_count [1-9]/);
    assert.match(text, /accord_nodejs_eventloop_lag_seconds \d/);
    assert.match(text, /accord_nodejs_heap_size_used_bytes \d/);
    for (const series of ['accord_jobs_total', 'accord_mails_total', 'accord_engine_restarts']) assert.match(text, new RegExp(`# TYPE ${series} (counter|gauge)`));
  });

  it('says it is ready when the database answers and every declared index is built', async () => {
    const res = await request(testApp()).get('/readyz').expect(200);
    assert.deepEqual(res.body, { status: 'ready', database: 'up', indexes: 'built' });
  });
});
