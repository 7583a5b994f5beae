import { mongoose, Schema, maxChars } from '../db/mongoose.js';

export interface DelegationRecord {
  _id: mongoose.Types.ObjectId;
  code: string;
  name: { ru: string; en: string };
  active: boolean;
}

const delegationSchema = new Schema(
  {
    code: { type: String, required: true, unique: true, uppercase: true, match: /^[A-Z]{2,3}$/ },
    name: {
      ru: { type: String, required: true, trim: true, validate: maxChars(200) },
      en: { type: String, required: true, trim: true, validate: maxChars(200) },
    },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);

export const Delegation = mongoose.model('Delegation', delegationSchema);
