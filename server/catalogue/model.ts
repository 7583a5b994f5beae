import { mongoose, Schema } from '../db/mongoose.js';

/**
 * One document, `_id: 'catalogue'`: a counter bumped whenever the public catalogue changes. Every
 * server instance keeps the catalogue in memory and rebuilds it when this number moves (a point read
 * by _id, at most once a second), so instances agree without talking to each other.
 */
export interface CatalogueVersionRecord {
  _id: string;
  version: number;
  changedAt: Date;
}

const catalogueVersionSchema = new Schema(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true, default: 0 },
    changedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const CatalogueVersion = mongoose.model('CatalogueVersion', catalogueVersionSchema, 'catalogueversion');

/** The product groups a registered manufacturer wants to hear about: one record per person. */
export interface SubscriptionRecord {
  _id: mongoose.Types.ObjectId;
  user: mongoose.Types.ObjectId;
  groups: string[];
  updatedAt: Date;
}

const subscriptionSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    groups: { type: [String], default: [] },
  },
  { timestamps: true },
);
subscriptionSchema.index({ user: 1 }, { unique: true });
// Who follows a group, when a standard in it changes (multikey; MongoDB uses it, the embedded engine scans).
subscriptionSchema.index({ groups: 1 });

export const Subscription = mongoose.model('Subscription', subscriptionSchema);
