import mongoose from 'mongoose';
import { projectionPlugin } from './projection-plugin.js';

// Every model imports mongoose from here, so these settings apply before any schema is compiled.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);
mongoose.set('bufferCommands', false);
mongoose.plugin(projectionPlugin);

export { mongoose };
export const { Schema, Types } = mongoose;

/**
 * A length limit counted in characters (code points), as the input schemas and the OpenAPI document count
 * them — Mongoose's own `maxlength` counts UTF-16 units, so a title of 500 characters with a few outside
 * the Basic Multilingual Plane would pass the input check and then fail to save.
 */
export function maxChars(max: number) {
  return {
    validator: (v: unknown) => typeof v !== 'string' || [...v].length <= max,
    message: `longer than ${max} characters`,
  };
}
