import { mongoose, Schema, maxChars } from '../db/mongoose.js';

export interface DelegationRecord {
  _id: mongoose.Types.ObjectId;
  code: string;
  name: { ru: string; en: string };
  /** The national standardisation body the foreword of a standard names for the delegation's country. */
  standardsBody?: { ru: string; en: string } | null;
  active: boolean;
}

const delegationSchema = new Schema(
  {
    code: { type: String, required: true, unique: true, uppercase: true, match: /^[A-Z]{2,3}$/ },
    name: {
      ru: { type: String, required: true, trim: true, validate: maxChars(200) },
      en: { type: String, required: true, trim: true, validate: maxChars(200) },
    },
    standardsBody: {
      ru: { type: String, trim: true, default: '', validate: maxChars(300) },
      en: { type: String, trim: true, default: '', validate: maxChars(300) },
    },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);

export const Delegation = mongoose.model('Delegation', delegationSchema);
