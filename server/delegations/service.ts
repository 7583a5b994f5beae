import { mongoose } from '../db/mongoose.js';
import { InvalidInput, NotFound } from '../errors.js';
import { Delegation, type DelegationRecord } from './model.js';

export const messages = {
  notFound: 'delegations.notFound',
  codeTaken: 'delegations.codeTaken',
} as const;

const fields = { code: 1, name: 1, standardsBody: 1, active: 1 } as const;

/** The committee's two national delegations; created once, names may be edited later. */
export const initialDelegations = [
  { code: 'BY', name: { ru: 'Республика Беларусь', en: 'Republic of Belarus' }, standardsBody: { ru: 'Госстандарт Республики Беларусь', en: 'Gosstandart of the Republic of Belarus' } },
  { code: 'RU', name: { ru: 'Российская Федерация', en: 'Russian Federation' }, standardsBody: { ru: 'Росстандарт', en: 'Rosstandart' } },
];

export async function seedDelegations(): Promise<void> {
  for (const d of initialDelegations) {
    await Delegation.updateOne({ code: d.code }, { $setOnInsert: { ...d, active: true } }, { upsert: true }).catch((err: { code?: number }) => {
      if (err?.code !== 11000) throw err; // another instance seeded it at the same moment
    });
  }
}

export async function listDelegations(): Promise<DelegationRecord[]> {
  return Delegation.find({}).select(fields).sort({ code: 1 }).lean<DelegationRecord[]>();
}

export async function findDelegationByCode(code: string): Promise<DelegationRecord | null> {
  return Delegation.findOne({ code: code.toUpperCase() }).select(fields).lean<DelegationRecord>();
}

export async function findDelegation(id: string): Promise<DelegationRecord> {
  if (!mongoose.isValidObjectId(id)) throw new NotFound(messages.notFound);
  const d = await Delegation.findById(id).select(fields).lean<DelegationRecord>();
  if (!d) throw new NotFound(messages.notFound);
  return d;
}

export async function createDelegation(input: { code: string; nameRu: string; nameEn: string }): Promise<DelegationRecord> {
  try {
    const d = await Delegation.create({ code: input.code, name: { ru: input.nameRu, en: input.nameEn } });
    return d.toObject() as DelegationRecord;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new InvalidInput(messages.codeTaken, { code: input.code }, { code: messages.codeTaken });
    throw err;
  }
}

export async function updateDelegation(id: string, input: { nameRu: string; nameEn: string; bodyRu?: string; bodyEn?: string; active: boolean }): Promise<void> {
  const d = await findDelegation(id);
  await Delegation.updateOne(
    { _id: d._id },
    { $set: { name: { ru: input.nameRu, en: input.nameEn }, standardsBody: { ru: input.bodyRu ?? '', en: input.bodyEn ?? '' }, active: input.active } },
  );
}

/** The active delegations whose national standardisation body has no name yet: a foreword cannot name it. */
export async function delegationsWithoutBody(): Promise<DelegationRecord[]> {
  return (await listDelegations()).filter((d) => d.active && !d.standardsBody?.ru?.trim());
}
