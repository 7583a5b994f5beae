import type { Request } from 'express';
import { z } from 'zod';
import { anySignedIn, anyone } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { InvalidInput } from '../errors.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput } from '../http/validate.js';
import { checkUnsubscribeSignature, noticeKinds, type NoticeKind } from '../notices/index.js';
import { emailOf, noticeSettings, setNoticesOff, turnNoticeOff } from './service.js';

const unsubscribeQuery = z.object({ u: z.string().max(40), k: z.enum(noticeKinds), s: z.string().max(100) });
const settingsInput = z.strictObject(Object.fromEntries(noticeKinds.map((k) => [k, z.enum(['on']).optional()])) as Record<NoticeKind, z.ZodOptional<z.ZodEnum<{ on: 'on' }>>>);

/** One-click unsubscribe from e-mail links (signed, no sign-in needed) and the settings on the account page. */
export function noticeRoutes(deps: { secret: string }): RouteDef[] {
  const verified = async (req: Request) => {
    const q = unsubscribeQuery.safeParse(req.method === 'GET' ? req.query : { ...req.query, ...req.body, _csrf: undefined });
    if (!q.success || !mongoose.isValidObjectId(q.data.u) || !checkUnsubscribeSignature(deps.secret, q.data.u, q.data.k, q.data.s)) throw new InvalidInput('unsubscribe.invalid');
    const email = await emailOf(q.data.u);
    if (!email) throw new InvalidInput('unsubscribe.invalid');
    return { ...q.data, email };
  };
  return [
    // Showing the page changes nothing (mail scanners follow links); the button does.
    route('get', '/notifications/unsubscribe', anyone, async (req, res) => {
      const v = await verified(req);
      res.render('notices/unsubscribe', { title: 'unsubscribe.title', ...v, kindLabel: `notices.kind.${v.k}` });
    }),
    route('post', '/notifications/unsubscribe', anyone, async (req, res) => {
      const v = await verified(req);
      await turnNoticeOff(v.u, v.k);
      res.render('notices/unsubscribe', { title: 'unsubscribe.title', ...v, kindLabel: `notices.kind.${v.k}`, done: true });
    }),
    route('post', '/account/notifications', anySignedIn, async (req, res) => {
      const input = parseInput(settingsInput, req.body);
      // Only the kinds the page offers this person are set (noticeSettings); what it does not show stays as it was.
      const shown = (await noticeSettings(req.user!.id)).map((n) => n.kind as NoticeKind);
      const before = (await noticeSettings(req.user!.id, true)).filter((n) => !n.on && !shown.includes(n.kind as NoticeKind)).map((n) => n.kind as NoticeKind);
      const off = [...before, ...shown.filter((k) => !input[k])];
      await setNoticesOff(req.user!.id, off);
      res.redirect(303, '/account?notices=saved#notifications');
    }),
  ];
}
