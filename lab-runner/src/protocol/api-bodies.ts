import { z } from 'zod';
import { slug } from './lab-manifest.ts';

/** Bodies of the JSON API's POST requests. */
export const loginBodySchema = z.strictObject({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1000),
});

export const createClassBodySchema = z.strictObject({
  name: z.string().trim().min(2).max(100),
  modules: z.array(slug).min(1, { error: 'pick at least one module' }),
  /** Only learners who signed in may join (see classSettingsBodySchema). */
  requireSignIn: z.boolean().optional(),
});

/** `POST /api/instructor/classes/<id>/settings`. */
export const classSettingsBodySchema = z.strictObject({
  /** Only learners who signed in (single sign-on, or an LMS launch) may join from now on. */
  requireSignIn: z.boolean(),
});

export const joinBodySchema = z.strictObject({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{8}$/, { error: 'a join code is 8 letters and digits' }),
  displayName: z.string().trim().min(1, { error: 'tell your instructor who you are' }).max(60),
});
