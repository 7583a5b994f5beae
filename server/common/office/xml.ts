// XML read with saxes (the streaming parser exceljs also uses): no DOM is built, no entity of the file is
// expanded beyond XML's own five, and no external resource is ever fetched.
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { UnsupportedMediaType } from '../../errors.js';

export interface XmlHandlers {
  open(name: string, attributes: Record<string, string>): void;
  close(name: string): void;
  text(text: string): void;
}

/** The local name of an element or attribute: «w:tbl» → «tbl». */
export const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Parses `xml`, calling the handlers with local names; a malformed part is a file that cannot be read. */
export function readXml(xml: string, handlers: XmlHandlers, prefix = 'commentImport'): void {
  const parser = new SaxesParser({ xmlns: false });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attributes[localName(k)] = String(v);
    handlers.open(localName(tag.name), attributes);
  });
  parser.on('closetag', (tag: SaxesTagPlain) => handlers.close(localName(tag.name)));
  parser.on('text', (t: string) => handlers.text(t));
  try {
    parser.write(xml).close();
  } catch {
    throw new UnsupportedMediaType(`${prefix}.unreadable`);
  }
}

/** Every element with one of these local names, with its attributes (by local name). */
export function xmlElements(xml: string, names: readonly string[], prefix = 'commentImport'): { name: string; attributes: Record<string, string> }[] {
  const found: { name: string; attributes: Record<string, string> }[] = [];
  readXml(xml, {
    open: (name, attributes) => {
      if (names.includes(name)) found.push({ name, attributes });
    },
    close: () => {},
    text: () => {},
  }, prefix);
  return found;
}
