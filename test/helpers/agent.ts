import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApiToken } from '../../server/auth/api-tokens.js';
import type { MadeUser } from './factories.js';

export type Agent = TestAgent;

/** The CSRF token of a page's first form. */
export function csrfOf(html: string): string {
  const token = cheerio.load(html)('input[name=_csrf]').first().val();
  if (typeof token !== 'string' || !token) throw new Error('no CSRF token on the page');
  return token;
}

/** A browser-like agent (keeps cookies) with a fresh CSRF token from a page that has a form. */
export async function anonymousAgent(app: Express): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(app);
  const page = await agent.get('/sign-in').expect(200);
  return { agent, csrf: csrfOf(page.text) };
}

/** Signs a person in through the real form and returns the agent and a CSRF token for further forms. */
export async function signIn(app: Express, user: Pick<MadeUser, 'email' | 'password'>): Promise<{ agent: Agent; csrf: string }> {
  const { agent, csrf } = await anonymousAgent(app);
  await agent.post('/sign-in').type('form').send({ _csrf: csrf, email: user.email, password: user.password }).expect(303);
  const account = await agent.get('/account').expect(200);
  return { agent, csrf: csrfOf(account.text) };
}

export async function tokenFor(user: Pick<MadeUser, 'id'>): Promise<string> {
  return (await createApiToken(user.id, 'test')).secret;
}
