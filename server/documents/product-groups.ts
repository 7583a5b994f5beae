import { mongoose } from '../db/mongoose.js';
import { InvalidInput, NotFound } from '../errors.js';
import { ProductGroup, type ProductGroupRecord } from './model.js';

/** The committee's product groups at installation; the administrator and secretariat keep the list. */
export const initialProductGroups = [
  { code: 'integrated-circuits', name: { ru: 'Микросхемы интегральные', en: 'Integrated circuits' } },
  { code: 'laser-machines', name: { ru: 'Станки лазерные для резки металла', en: 'Laser metal-cutting machines' } },
  { code: 'gear-cutting-machines', name: { ru: 'Станки зубообрабатывающие', en: 'Gear-cutting machine tools' } },
  { code: 'semiconductor-devices', name: { ru: 'Приборы полупроводниковые', en: 'Semiconductor devices' } },
  { code: 'metalworking-machines', name: { ru: 'Станки металлообрабатывающие', en: 'Metalworking machine tools' } },
];

const fields = { code: 1, name: 1, active: 1 } as const;

export async function seedProductGroups(): Promise<void> {
  for (const g of initialProductGroups) {
    await ProductGroup.updateOne({ code: g.code }, { $setOnInsert: { ...g, active: true } }, { upsert: true }).catch((err: { code?: number }) => {
      if (err?.code !== 11000) throw err;
    });
  }
}

export async function listProductGroups(): Promise<ProductGroupRecord[]> {
  return ProductGroup.find({}).select(fields).sort({ code: 1 }).lean<ProductGroupRecord[]>();
}

export async function findProductGroup(id: string): Promise<ProductGroupRecord> {
  if (!mongoose.isValidObjectId(id)) throw new NotFound('productGroups.notFound');
  const g = await ProductGroup.findById(id).select(fields).lean<ProductGroupRecord>();
  if (!g) throw new NotFound('productGroups.notFound');
  return g;
}

export async function activeProductGroup(code: string): Promise<ProductGroupRecord | null> {
  return ProductGroup.findOne({ code, active: true }).select(fields).lean<ProductGroupRecord>();
}

export async function createProductGroup(input: { code: string; nameRu: string; nameEn: string }): Promise<void> {
  try {
    await ProductGroup.create({ code: input.code, name: { ru: input.nameRu, en: input.nameEn } });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new InvalidInput('productGroups.codeTaken', { code: input.code }, { code: 'productGroups.codeTaken' });
    throw err;
  }
}

export async function updateProductGroup(id: string, input: { nameRu: string; nameEn: string; active: boolean }): Promise<void> {
  const g = await findProductGroup(id);
  await ProductGroup.updateOne({ _id: g._id }, { $set: { name: { ru: input.nameRu, en: input.nameEn }, active: input.active } });
}
