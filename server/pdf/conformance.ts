// What makes a PDF of Accord a PDF/A-2 file (docs/pdf.md): PDFKit's `subset` option adds the PDF/A
// identification and the sRGB output intent (its ICC profile ships with pdfkit); the XMP packet is
// written here instead of by PDFKit, because PDFKit's leaves the values unescaped («&» in a title breaks
// it) and omits xmp:ModifyDate, which PDF/A requires to match the info dictionary's ModDate. A tagged
// file also declares PDF/UA-1 (pdfuaid, with its extension schema as PDF/A asks for a schema it does
// not predefine).

/** PDF/A-2b for every file; a tagged one (a standard) PDF/A-2a and PDF/UA-1. */
export function conformanceOptions(tagged: boolean): { pdfVersion: '1.7'; subset: 'PDF/A-2a' | 'PDF/A-2b'; tagged: boolean } {
  return { pdfVersion: '1.7', subset: tagged ? 'PDF/A-2a' : 'PDF/A-2b', tagged };
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const xmpDate = (d: Date) => `${d.toISOString().split('.')[0]}Z`;

export interface XmpInfo {
  Title?: string;
  Author?: string;
  Subject?: string;
  Keywords?: string;
  Creator: string;
  Producer: string;
  CreationDate: Date;
  ModDate: Date;
}

const UA_EXTENSION = `
  <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
    <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
        <pdfaProperty:name>part</pdfaProperty:name>
        <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
        <pdfaProperty:category>internal</pdfaProperty:category>
        <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
      </rdf:li></rdf:Seq></pdfaSchema:property>
    </rdf:li></rdf:Bag></pdfaExtension:schemas>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>`;

/** The XMP descriptions of the info dictionary's entries (PDF/A-2, 6.6.3: they must agree). */
export function xmpDescriptions(info: XmpInfo, ua: boolean): string {
  const alt = (v: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(v)}</rdf:li></rdf:Alt>`;
  const dc = [
    info.Title && `<dc:title>${alt(info.Title)}</dc:title>`,
    info.Author && `<dc:creator><rdf:Seq><rdf:li>${escapeXml(info.Author)}</rdf:li></rdf:Seq></dc:creator>`,
    info.Subject && `<dc:description>${alt(info.Subject)}</dc:description>`,
  ].filter(Boolean).join('\n    ');
  return `
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
    <xmp:CreateDate>${xmpDate(info.CreationDate)}</xmp:CreateDate>
    <xmp:ModifyDate>${xmpDate(info.ModDate)}</xmp:ModifyDate>
    <xmp:CreatorTool>${escapeXml(info.Creator)}</xmp:CreatorTool>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
    ${dc}
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
    <pdf:Producer>${escapeXml(info.Producer)}</pdf:Producer>${info.Keywords ? `\n    <pdf:Keywords>${escapeXml(info.Keywords)}</pdf:Keywords>` : ''}
  </rdf:Description>${ua ? UA_EXTENSION : ''}`;
}

interface PdfKitMetadata { _addInfo: () => void; appendXML: (xml: string) => void; info: XmpInfo }

/** Makes the document write Accord's XMP descriptions in place of PDFKit's (pdfkit 0.20's `_addInfo`). */
export function useAccordXmp(doc: PDFKit.PDFDocument, ua: boolean): void {
  const d = doc as unknown as PdfKitMetadata;
  d._addInfo = () => d.appendXML(xmpDescriptions(d.info, ua));
}
