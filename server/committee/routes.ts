import { z } from 'zod';
import { role } from '../auth/index.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput } from '../http/validate.js';
import { approvalRules, committeeSettings, saveCommitteeSettings } from './settings.js';

const durationsInput = z.strictObject({
  draftingDays: days(),
  commentDays: days(),
  resolutionDays: days(),
  ballotDays: days(365, 'settings.ballotDays'),
  publicationDays: days(),
  // The review interval sits beside the durations (docs/review.md); a form without it keeps the one in force.
  reviewYears: z.string().trim().regex(/^\d{1,2}$/, 'settings.reviewYearsRange').transform(Number).refine((n) => n >= 1 && n <= 10, 'settings.reviewYearsRange').optional(),
});

const settingsInput = durationsInput.extend({
  approvalRule: z.enum(approvalRules, 'validation.choice'),
  designationPrefix: z.string().trim().min(1, 'validation.required').max(20, 'validation.tooLong').regex(/^[\p{L}\p{N} .-]+$/u, 'settings.prefixFormat'),
});

/** A whole number of days typed in a form, from 1 to `max`; anything else is refused with the message named. */
function days(max = 730, message = 'settings.days') {
  return z.string().trim().regex(/^\d{1,4}$/, message).transform(Number).refine((n) => n >= 1 && n <= max, message);
}

/**
 * Committee settings: the approval rule, the designation scheme, the usual ballot length, the work programme's
 * durations (the administrator, all of them); the durations alone on a page of their own, which the
 * secretariat, who keeps the programme, may change too (docs/programme.md).
 */
export function committeeRoutes(): RouteDef[] {
  const admin = role('administrator');
  const keepers = role('administrator', 'secretariat');
  return [
    route('get', '/admin/settings/programme', keepers, async (req, res) => {
      res.render('committee/programme', { title: 'settings.programmeTitle', values: await committeeSettings(), saved: req.query.saved === '1' });
    }),
    route('post', '/admin/settings/programme', keepers, async (req, res) => {
      try {
        const { reviewYears, ...durations } = parseInput(durationsInput, req.body);
        const current = await committeeSettings();
        await saveCommitteeSettings({ ...current, ...durations, reviewYears: reviewYears ?? current.reviewYears });
        res.redirect(303, '/admin/settings/programme?saved=1');
      } catch (err) {
        renderFormError(res, 'committee/programme', err, req.body, { title: 'settings.programmeTitle' });
      }
    }),
    route('get', '/admin/settings', admin, async (req, res) => {
      res.render('committee/settings', { title: 'settings.title', values: await committeeSettings(), rules: approvalRules, saved: req.query.saved === '1' });
    }),
    route('post', '/admin/settings', admin, async (req, res) => {
      try {
        const { reviewYears, ...rest } = parseInput(settingsInput, req.body);
        await saveCommitteeSettings({ ...rest, reviewYears: reviewYears ?? (await committeeSettings()).reviewYears });
        res.redirect(303, '/admin/settings?saved=1');
      } catch (err) {
        renderFormError(res, 'committee/settings', err, req.body, { title: 'settings.title', rules: approvalRules });
      }
    }),
  ];
}
