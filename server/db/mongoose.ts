import mongoose from 'mongoose';
import { projectionPlugin } from './projection-plugin.js';

// Every model imports mongoose from here, so these settings apply before any schema is compiled.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);
mongoose.set('bufferCommands', false);
mongoose.plugin(projectionPlugin);

export { mongoose };
export const { Schema, Types } = mongoose;
