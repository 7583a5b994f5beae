import { z } from 'zod';
import { role } from '../auth/index.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput } from '../http/validate.js';
import { approvalRules, committeeSettings, saveCommitteeSettings } from './settings.js';

const settingsInput = z.strictObject({
  approvalRule: z.enum(approvalRules, 'validation.choice'),
  designationPrefix: z.string().trim().min(1, 'validation.required').max(20, 'validation.tooLong').regex(/^[\p{L}\p{N} .-]+$/u, 'settings.prefixFormat'),
  ballotDays: z.coerce.number().int('settings.ballotDays').min(1, 'settings.ballotDays').max(365, 'settings.ballotDays'),
  draftingDays: days(),
  commentDays: days(),
  resolutionDays: days(),
  publicationDays: days(),
});

function days() {
  return z.coerce.number('settings.days').int('settings.days').min(1, 'settings.days').max(730, 'settings.days');
}

/** Committee settings: the approval rule, the designation scheme, the usual ballot length, the work programme's durations. */
export function committeeRoutes(): RouteDef[] {
  const admin = role('administrator');
  return [
    route('get', '/admin/settings', admin, async (req, res) => {
      res.render('committee/settings', { title: 'settings.title', values: await committeeSettings(), rules: approvalRules, saved: req.query.saved === '1' });
    }),
    route('post', '/admin/settings', admin, async (req, res) => {
      try {
        await saveCommitteeSettings(parseInput(settingsInput, req.body));
        res.redirect(303, '/admin/settings?saved=1');
      } catch (err) {
        renderFormError(res, 'committee/settings', err, req.body, { title: 'settings.title', rules: approvalRules });
      }
    }),
  ];
}
